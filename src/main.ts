import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'

// Whatever the embedded engine and the libraries write (files we do not open ourselves) is private
// too; the files and directories we create set their modes explicitly (src/private-files.ts).
process.umask(0o077)

try {
  const app = await buildApp(loadConfig(process.env))
  const { url } = await app.start()
  console.log(`annotation-analytics is serving on ${url} (GraphiQL: ${url}/graphql)`)
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`${signal}: stopping`)
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
}
