/**
 * A problem that stops the service from starting, for an operator: `message` is one line that
 * names the cause and the fix (main logs it at `error`); `detail` is what a developer wants on top
 * (the underlying error, logged at `debug`).
 */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly detail?: unknown,
  ) {
    super(message)
    this.name = 'StartupError'
  }
}

/** A URL without its credentials, fit for a log line. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.username || parsed.password) {
      parsed.username = ''
      parsed.password = ''
    }
    return parsed.href.replace(/\/$/, '')
  } catch {
    return url
  }
}
