import { isIP } from 'node:net';

/** IPv4-mapped IPv6 peers (`::ffff:1.2.3.4`) compare as their IPv4 form. */
export function normalizeIp(ip: string): string {
  const lower = ip.toLowerCase();
  if (lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4) return lower.slice(7);
  return lower;
}

export interface ForwardingHeaders {
  readonly forwardedFor?: string | undefined;
  readonly realIp?: string | undefined;
}

/**
 * The client's IP (spec §1.5): the TCP peer, unless the peer is one of the
 * trusted proxies; then the first `X-Forwarded-For` hop, else `X-Real-IP`,
 * each only if it parses as an IP, else the peer. Headers from anyone else
 * are ignored — they are trivially forged.
 */
export function resolveClientIp(
  peer: string,
  headers: ForwardingHeaders,
  trusted: ReadonlySet<string>,
): string {
  const self = normalizeIp(peer);
  if (!trusted.has(self)) return self;
  const first = headers.forwardedFor?.split(',', 1)[0]?.trim();
  if (first !== undefined && isIP(first) !== 0) return normalizeIp(first);
  const real = headers.realIp?.trim();
  if (real !== undefined && isIP(real) !== 0) return normalizeIp(real);
  return self;
}

/** The trusted-proxy set in the normalized form `resolveClientIp` compares against. */
export function trustedProxies(ips: readonly string[]): ReadonlySet<string> {
  return new Set(ips.map(normalizeIp));
}
