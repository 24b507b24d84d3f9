import { StartupError } from './startup-error.js'

/**
 * A listen that failed, as one line naming the setting to change. `names` are the variables of
 * that listener (PORT/HOST, or CVAT_LOGGER_PORT/CVAT_LOGGER_HOST).
 */
export function listenError(
  error: unknown,
  names: { readonly port: string; readonly host: string },
  host: string,
  port: number,
): Error {
  const code = (error as NodeJS.ErrnoException | null)?.code
  switch (code) {
    case 'EADDRINUSE':
      return new StartupError(
        `${names.port} ${port} is already in use on ${host}; stop what listens there or set ${names.port} to a free port`,
        error,
      )
    case 'EACCES':
      return new StartupError(
        `${names.port} ${port} on ${host} needs a privilege this process lacks (ports below 1024 do); set ${names.port} to 1024 or above`,
        error,
      )
    case 'EADDRNOTAVAIL':
      return new StartupError(
        `${names.host} ${host} is not an address of this machine; set ${names.host} to one of its addresses, or 0.0.0.0 for all`,
        error,
      )
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartupError(
        `${names.host} ${host} does not resolve to an address; set ${names.host} to an address`,
        error,
      )
    default:
      return error instanceof Error ? error : new Error(String(error))
  }
}
