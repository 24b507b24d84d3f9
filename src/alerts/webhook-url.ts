import { lookup } from 'node:dns/promises'
import { isIP, type LookupFunction } from 'node:net'
import ipaddr from 'ipaddr.js'
import { badInput } from '../errors.js'
import { MAX_URL_LENGTH } from './rule.js'

/** Resolves a host name to all of its addresses (tests pass their own). @default DNS, as the OS resolves */
export type HostResolver = (hostname: string) => Promise<{ address: string; family: number }[]>

export const resolveHost: HostResolver = (hostname) => lookup(hostname, { all: true, verbatim: true })

/**
 * Whether an address is a public unicast one. Loopback, private (RFC 1918, unique local), link-local
 * (cloud metadata at 169.254.169.254 too), carrier-grade NAT, multicast, broadcast, unspecified,
 * reserved and the IPv6 ranges that embed IPv4 addresses (6to4, Teredo, NAT64) are not; an
 * IPv4-mapped IPv6 address is judged as its IPv4 address (ipaddr.js's ranges).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false
  return ipaddr.process(address).range() === 'unicast'
}

/** The host of a URL as an address or name (without an IPv6 literal's brackets). */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1')

/** Why a host may not receive webhooks, or null when it may: it is, or resolves to, a non-public address. */
export async function refusedHost(host: string, resolve: HostResolver = resolveHost): Promise<string | null> {
  if (isIP(host)) {
    return isPublicAddress(host) ? null : `${host} is a loopback, private or link-local address`
  }
  let addresses: { address: string }[]
  try {
    addresses = await resolve(host)
  } catch {
    return `${host} does not resolve`
  }
  if (addresses.length === 0) return `${host} does not resolve`
  const inside = addresses.find((a) => !isPublicAddress(a.address))
  return inside ? `${host} resolves to ${inside.address}, a loopback, private or link-local address` : null
}

/**
 * Checks a webhook URL as given in a rule: http(s), at most MAX_URL_LENGTH characters, and (unless
 * ALERT_WEBHOOK_ALLOW_PRIVATE) a host that is, and resolves to, public addresses only. Every
 * delivery checks the addresses again as it connects (guardedLookup), since a name may be pointed
 * elsewhere later. BAD_USER_INPUT naming `webhookUrl` otherwise.
 */
export async function checkWebhookUrl(
  text: string,
  options: { readonly allowPrivate: boolean; readonly resolve?: HostResolver },
): Promise<string> {
  const refuse = (why: string) => badInput(`webhookUrl: ${why}`, { field: 'webhookUrl' })
  if (text.length > MAX_URL_LENGTH) throw refuse(`must be at most ${MAX_URL_LENGTH} characters`)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw refuse(`'${text.slice(0, 100)}' is not a URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw refuse('must be an http:// or https:// URL')
  if (!options.allowPrivate) {
    const why = await refusedHost(hostOf(url), options.resolve)
    if (why)
      throw refuse(`${why}; webhooks go to public addresses only (ALERT_WEBHOOK_ALLOW_PRIVATE allows others)`)
  }
  return url.href
}

/**
 * The `lookup` of a delivery's connection: resolves as `resolve` does and refuses, unless
 * `allowPrivate`, a name with any non-public address, so a name re-pointed at an inside address
 * after the rule was saved (DNS rebinding) is not connected to.
 */
export function guardedLookup(allowPrivate: boolean, resolve: HostResolver = resolveHost): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const inside = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address))
        const first = addresses[0]
        if (inside || !first) {
          const error = Object.assign(
            new Error(
              inside
                ? `${hostname} resolves to ${inside.address}, a loopback, private or link-local address; not connected (ALERT_WEBHOOK_ALLOW_PRIVATE allows it)`
                : `${hostname} does not resolve`,
            ),
            { code: inside ? 'EADDRNOTPUBLIC' : 'ENOTFOUND' },
          )
          callback(error, '', 0)
        } else if (options.all) callback(null, addresses)
        else callback(null, first.address, first.family)
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    )
  }
}

export { hostOf }
