import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import t from 'tap'
import { components, noticesText, packageFolder, swaggerUiRelease } from '../../scripts/third-party-notices'
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

t.test('a package named by its folder, and the licence comments webpack takes out of a bundle', async (t) => {
  const root = temporaryFolder(t, 'notices')
  const folder = join(root, 'binary', 'widget')
  mkdirSync(folder, { recursive: true })
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'widget', version: '3.1.0', license: 'Apache-2.0' }))
  writeFileSync(join(folder, 'LICENSE'), 'Apache text')
  writeFileSync(join(folder, 'widget-bundle.js.LICENSE.txt'), '/*! React | MIT */')
  writeFileSync(join(folder, 'widget-bundle.js.map'), '{}')
  const [widget, ...others] = components([], [folder])
  t.same(others, [])
  t.same(widget, {
    name: 'widget',
    version: '3.1.0',
    licence: 'Apache-2.0',
    texts: [{ file: 'LICENSE', text: 'Apache text' }, { file: 'widget-bundle.js.LICENSE.txt', text: '/*! React | MIT */' }]
  })
})

t.test('binary/swagger-ui-dist keeps the licence files of the Swagger UI release @fastify/swagger-ui copies', async (t) => {
  const repository = resolve(__dirname, '..', '..')
  const kept = swaggerUiRelease(repository)
  t.equal(kept, join(repository, 'binary', 'swagger-ui-dist'))
  const [swaggerUi] = components([], [kept])
  t.same(swaggerUi!.texts.map(({ file }) => file),
    ['LICENSE', 'NOTICE', 'swagger-ui-bundle.js.LICENSE.txt', 'swagger-ui-standalone-preset.js.LICENSE.txt'])
  t.match(swaggerUi, { name: 'swagger-ui-dist', licence: 'Apache-2.0' })

  // A @fastify/swagger-ui that copies another release stops the build.
  const root = temporaryFolder(t, 'swagger-ui')
  const manifest = (folder: string, contents: object) => {
    mkdirSync(join(root, folder), { recursive: true })
    writeFileSync(join(root, folder, 'package.json'), JSON.stringify(contents))
  }
  manifest('node_modules/@fastify/swagger-ui', { name: '@fastify/swagger-ui', version: '7.0.0', devDependencies: { 'swagger-ui-dist': '5.40.0' } })
  manifest('binary/swagger-ui-dist', { name: 'swagger-ui-dist', version: '5.34.0', license: 'Apache-2.0' })
  t.throws(() => swaggerUiRelease(root), {
    message: /holds the files of swagger-ui-dist 5\.40\.0, binary\/swagger-ui-dist the licence files of 5\.34\.0: .*npm pack swagger-ui-dist@5\.40\.0/
  })
})
