import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { components, noticesText, packageFolder } from '../../scripts/third-party-notices'
import { temporaryFolder } from '../cli/process'

t.test('the package a file belongs to is the last node_modules/<name> on its path', async (t) => {
  t.equal(packageFolder('/app/node_modules/fastify/lib/route.js'), '/app/node_modules/fastify')
  t.equal(packageFolder('/app/node_modules/@fastify/static/node_modules/glob/dist/index.js'), '/app/node_modules/@fastify/static/node_modules/glob')
  t.equal(packageFolder('/app/node_modules/@fastify/swagger-ui/static/index.html'), '/app/node_modules/@fastify/swagger-ui')
  t.equal(packageFolder('/app/routes/api/mentees/index.ts'), undefined, 'our own files are nobody else\'s')
})

t.test('each release once, with its licence files, or what its package.json declares', async (t) => {
  const root = temporaryFolder(t, 'notices')
  const write = (folder: string, manifest: object, files: Record<string, string> = {}) => {
    mkdirSync(join(root, folder, 'lib'), { recursive: true })
    writeFileSync(join(root, folder, 'package.json'), JSON.stringify(manifest))
    for (const [name, text] of Object.entries(files)) writeFileSync(join(root, folder, name), text)
  }
  write('node_modules/zeta', { name: 'zeta', version: '1.0.0', license: 'MIT' }, { LICENSE: 'MIT text\n', 'NOTICE.md': 'Notice text' })
  write('node_modules/alpha', { name: 'alpha', version: '2.0.0', license: { type: 'BSD-3-Clause' } })
  write('node_modules/zeta/node_modules/alpha', { name: 'alpha', version: '10.0.0', licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] }, { 'licence.txt': 'Alpha 10' })
  // The same release installed twice is one component.
  write('node_modules/beta/node_modules/zeta', { name: 'zeta', version: '1.0.0', license: 'MIT' }, { LICENSE: 'MIT text\n', 'NOTICE.md': 'Notice text' })
  write('node_modules/gamma', { name: 'gamma', version: '1.0.0' }, { 'README.md': 'not a licence' })
  const found = components([
    'node_modules/zeta/lib/a.js', 'node_modules/zeta/lib/b.js', 'node_modules/alpha/lib/a.js',
    'node_modules/zeta/node_modules/alpha/lib/a.js', 'node_modules/beta/node_modules/zeta/lib/a.js',
    'node_modules/gamma/lib/a.js', 'server.ts'
  ].map((file) => join(root, file)))
  t.same(found.map(({ name, version, licence }) => `${name} ${version} ${licence}`),
    ['alpha 2.0.0 BSD-3-Clause', 'alpha 10.0.0 MIT OR Apache-2.0', 'gamma 1.0.0 not declared', 'zeta 1.0.0 MIT'],
    'sorted by name then version, numerically')
  t.same(found[3]!.texts, [{ file: 'LICENSE', text: 'MIT text' }, { file: 'NOTICE.md', text: 'Notice text' }])
  t.same(found[2]!.texts, [], 'a README is not a licence')

  const text = noticesText('About these.', found)
  t.match(text, /^About these\.\n\n {2}alpha 2\.0\.0 \(BSD-3-Clause\)\n {2}alpha 10\.0\.0 \(MIT OR Apache-2\.0\)\n/)
  t.match(text, /\nzeta 1\.0\.0\n={78}\n--- LICENSE ---\nMIT text\n\n--- NOTICE\.md ---\nNotice text\n$/)
  t.match(text, /\nalpha 2\.0\.0\n={78}\nThe package ships no licence file; its package\.json declares: BSD-3-Clause\.\n/)
})
