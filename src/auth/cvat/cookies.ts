/**
 * The value of one cookie in a `Cookie` request header, or null. Names match exactly; values are
 * taken as sent (Django's session and CSRF cookies are plain alphanumerics, never quoted).
 */
export function cookieValue(header: string | null | undefined, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim()
      return value === '' ? null : value
    }
  }
  return null
}
