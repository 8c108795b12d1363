import { existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { makeFolders } from '../../db/folders'
import { temporaryFolder } from '../cli/process'

const codeOf = (work: () => void): string | undefined => {
  try {
    work()
    return undefined
  } catch (error) {
    return (error as NodeJS.ErrnoException).code
  }
}

t.test('makes a folder and every missing folder above it, with the mode given', async (t) => {
  const root = temporaryFolder(t, 'folders')
  const deepest = join(root, 'a', 'b', 'c')
  makeFolders(deepest, 0o700)
  for (const folder of [join(root, 'a'), join(root, 'a', 'b'), deepest]) {
    t.ok(statSync(folder).isDirectory(), folder)
    t.equal(statSync(folder).mode & 0o777, 0o700, `${folder} is private`)
  }
})

t.test('a folder that exists already, or a link to one, will do', async (t) => {
  const root = temporaryFolder(t, 'folders')
  mkdirSync(join(root, 'there'))
  writeFileSync(join(root, 'there', 'kept'), 'kept')
  symlinkSync(join(root, 'there'), join(root, 'link'))
  makeFolders(join(root, 'there'))
  makeFolders(join(root, 'link', 'inside'))
  makeFolders(root)
  t.ok(existsSync(join(root, 'there', 'kept')), 'nothing in it is touched')
  t.ok(statSync(join(root, 'there', 'inside')).isDirectory(), 'made through the link')
})

t.test('a file where a folder must be is refused, and nothing is made', async (t) => {
  const root = temporaryFolder(t, 'folders')
  writeFileSync(join(root, 'a-file'), '')
  t.equal(codeOf(() => makeFolders(join(root, 'a-file'))), 'EEXIST', 'the folder itself')
  t.equal(codeOf(() => makeFolders(join(root, 'a-file', 'below'))), 'ENOTDIR', 'a folder above')
  t.ok(statSync(join(root, 'a-file')).isFile())
})

t.test('a folder its parent cannot hold is refused at once (Node\'s recursive mkdir never returns under /proc)', {
  skip: existsSync('/proc/self') ? false : 'no procfs on this system'
}, async (t) => {
  t.equal(codeOf(() => makeFolders('/proc/mentormatchr-test/data')), 'ENOENT')
  t.notOk(existsSync('/proc/mentormatchr-test'))
})
