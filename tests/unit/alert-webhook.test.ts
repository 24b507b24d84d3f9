import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backoffMs, recordAttempt, RETRY_FOR_MS } from '../../src/alerts/delivery.js'
import type { AlertNotification } from '../../src/alerts/notification.js'
import { postWebhook, signature } from '../../src/alerts/webhook.js'
import { checkWebhookUrl, isPublicAddress, type HostResolver } from '../../src/alerts/webhook-url.js'
import { signatureIsValid, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js'

/** Names as a test DNS answers them: a public-looking name re-pointed at the loopback among them. */
const resolver: HostResolver = (hostname) => {
  const table: Record<string, string[]> = {
    'hooks.example.test': ['127.0.0.1'],
    'public.example.test': ['93.184.216.34'],
    'both.example.test': ['93.184.216.34', '10.0.0.7'],
  }
  const addresses = table[hostname]
  if (!addresses)
    return Promise.reject(
      Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }),
    )
  return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })))
}

let receiver: WebhookReceiver
beforeAll(async () => {
  receiver = await startWebhookReceiver()
})
afterAll(async () => {
  await receiver.close()
})

describe('webhook addresses', () => {
  it.each([
    ['93.184.216.34', true],
    ['2606:4700:4700::1111', true],
    ['127.0.0.1', false],
    ['127.8.9.10', false],
    ['::1', false],
    ['10.0.0.1', false],
    ['172.16.5.4', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:93.184.216.34', true],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['64:ff9b::7f00:1', false],
    ['not an address', false],
  ])('judges %s public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected)
  })

  it('checks a name by every address it resolves to, naming webhookUrl', async () => {
    const check = (url: string) => checkWebhookUrl(url, { allowPrivate: false, resolve: resolver })
    await expect(check('https://public.example.test/hook')).resolves.toBe('https://public.example.test/hook')
    await expect(check('https://hooks.example.test/hook')).rejects.toThrow(
      /^webhookUrl: hooks.example.test resolves to 127.0.0.1, a loopback, private or link-local address/,
    )
    await expect(check('https://both.example.test/hook')).rejects.toThrow(/resolves to 10.0.0.7/)
    await expect(check('https://nowhere.example.test/hook')).rejects.toThrow(
      /^webhookUrl: nowhere.example.test does not resolve/,
    )
    await expect(
      checkWebhookUrl('https://hooks.example.test/hook', { allowPrivate: true, resolve: resolver }),
    ).resolves.toBe('https://hooks.example.test/hook')
  })
})

describe('postWebhook', () => {
  const post = (url: string, allowPrivate: boolean) =>
    postWebhook({
      url,
      body: '{"id":"rule:1:firing","text":"FIRING: ünïcode"}',
      secret: 'a-shared-secret-of-some-length',
      idempotencyKey: 'rule:1:firing',
      timeoutMs: 5_000,
      allowPrivate,
      resolve: resolver,
    })

  it('does not connect to a name that resolves to the loopback (DNS rebinding), unless allowed', async () => {
    const port = new URL(receiver.url).port
    // The receiver keeps what the other tests posted too: count from here.
    const before = receiver.received.length
    const refused = await post(`http://hooks.example.test:${port}/hook`, false)
    expect(refused).toMatchObject({ ok: false, statusCode: null })
    expect(refused.error).toMatch(/hooks.example.test resolves to 127.0.0.1.*not connected/)
    expect(receiver.received).toHaveLength(before)
    const allowed = await post(`http://hooks.example.test:${port}/hook`, true)
    expect(allowed).toMatchObject({ ok: true, statusCode: 200, error: null })
    expect(receiver.received).toHaveLength(before + 1)
    expect(receiver.received.at(-1)?.headers.host).toBe(`hooks.example.test:${port}`)
  })

  it('signs the body as CVAT signs its webhooks: sha256=<hex HMAC-SHA256 of the raw body>', async () => {
    const result = await post(receiver.url, true)
    expect(result.ok).toBe(true)
    const hook = receiver.received.at(-1)
    if (!hook) throw new Error('nothing received')
    expect(hook.headers['x-signature-256']).toBe(signature(hook.body, 'a-shared-secret-of-some-length'))
    expect(signatureIsValid(hook, 'a-shared-secret-of-some-length')).toBe(true)
    expect(
      signatureIsValid({ ...hook, body: hook.body.replace('ü', 'u') }, 'a-shared-secret-of-some-length'),
    ).toBe(false)
    expect(hook.headers['idempotency-key']).toBe('rule:1:firing')
    expect(hook.headers['user-agent']).toBe('annotation-analytics-alerts')
  })
})

describe('retries', () => {
  const notification: AlertNotification = {
    version: 1,
    id: 'r:1:firing',
    ruleId: 'r',
    orgId: '7',
    kind: 'firing',
    createdAt: 0,
    body: '{}',
    status: 'pending',
    attempts: 0,
    log: [],
    nextAttemptAt: 0,
    deliveredAt: null,
  }
  const failed = { ok: false, statusCode: 503, error: 'HTTP 503', durationMs: 3 }

  it('waits 30 s after the first failure, doubling up to an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map(backoffMs)).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000, 3_600_000,
    ])
  })

  it('tries the last time 24 hours after the notification, then gives up', () => {
    let n = notification
    let at = 0
    while (n.status === 'pending') {
      n = recordAttempt(n, failed, at)
      at = n.nextAttemptAt ?? at
    }
    expect(n.status).toBe('failed')
    expect(n.log.at(-1)?.at).toBe(RETRY_FOR_MS)
    expect(n.attempts).toBe(31)
    expect(n.log).toHaveLength(31)
  })

  it('delivers on a 2xx, and a test fails at once', () => {
    expect(
      recordAttempt(notification, { ok: true, statusCode: 204, error: null, durationMs: 1 }, 5),
    ).toMatchObject({
      status: 'delivered',
      deliveredAt: 5,
      nextAttemptAt: null,
      attempts: 1,
    })
    expect(recordAttempt(notification, failed, 5, false)).toMatchObject({
      status: 'failed',
      nextAttemptAt: null,
    })
  })
})
