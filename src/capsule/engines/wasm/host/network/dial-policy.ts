import { unsafeReason } from './airlock.js';
import type { AirlockExceptions } from './airlock-exceptions.js';
import { type IpAddress, parseIp } from './ip-address.js';

export type DialVerdict =
  | { readonly ok: true; readonly exception: string | null }
  | { readonly ok: false; readonly reason: string };

/**
 * Whether a capsule may dial `address:port`: a public address always; a
 * local or private one only when an operator exception covers it. Pure.
 */
export function judgeDial(
  address: string | IpAddress,
  port: number,
  exceptions: AirlockExceptions,
): DialVerdict {
  const ip = typeof address === 'string' ? parseIp(address) : address;
  if (ip === null) return { ok: false, reason: 'not an IP address' };
  const why = unsafeReason(ip);
  if (why === null) return { ok: true, exception: null };
  const covered = exceptions.covering(ip, port);
  if (covered !== null) return { ok: true, exception: covered.text };
  return { ok: false, reason: why };
}
