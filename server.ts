import { build } from './app'

async function main () {
  const server = build({}, {
    level: process.env.LOG_LEVEL ?? 'info',
    redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.current_password']
  })
  await server.ready()
  await server.listen({ port: server.config.PORT, host: server.config.HOST })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      server.close().then(() => process.exit(0), () => process.exit(1))
    })
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
