import { type IpAddress, inPrefix, parseIp } from './ip-address.js';

interface Block {
  readonly prefix: Uint8Array;
  readonly bits: number;
  readonly why: string;
}

function block(cidr: string, why: string): Block {
  const [addr, bits] = cidr.split('/') as [string, string];
  const ip = parseIp(addr);
  if (ip === null) throw new Error(`bad airlock prefix ${cidr}`);
  return { prefix: ip.bytes, bits: Number(bits), why };
}

const V4_BLOCKS: readonly Block[] = [
  block('0.0.0.0/8', 'this-network / unspecified'),
  block('10.0.0.0/8', 'private'),
  block('100.64.0.0/10', 'carrier-grade NAT'),
  block('127.0.0.0/8', 'loopback'),
  block('169.254.0.0/16', 'link-local'),
  block('172.16.0.0/12', 'private'),
  block('192.0.0.0/24', 'IETF protocol assignments'),
  block('192.168.0.0/16', 'private'),
  block('224.0.0.0/4', 'multicast'),
  block('255.0.0.0/8', 'broadcast / reserved'),
];

const V6_BLOCKS: readonly Block[] = [
  block('::/128', 'unspecified'),
  block('::1/128', 'loopback'),
  block('fc00::/7', 'unique local'),
  block('fe80::/10', 'link-local'),
  block('fec0::/10', 'site-local'),
  block('ff00::/8', 'multicast'),
];

const NAT64 = block('64:ff9b::/96', 'NAT64');
const SIX_TO_FOUR = block('2002::/16', '6to4');

/**
 * The IPv4 address an IPv6 address stands for, when it carries one:
 * IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (first 96 bits zero,
 * except `::` and `::1`), NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`). Pure.
 */
export function embeddedIpv4(ip: IpAddress): IpAddress | null {
  if (ip.family !== 6) return null;
  const b = ip.bytes;
  const zeros = (from: number, to: number) => b.subarray(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff)
    return { family: 4, bytes: b.slice(12, 16) };
  if (zeros(0, 12) && !zeros(12, 15)) return { family: 4, bytes: b.slice(12, 16) };
  if (inPrefix(b, NAT64.prefix, NAT64.bits)) return { family: 4, bytes: b.slice(12, 16) };
  if (inPrefix(b, SIX_TO_FOUR.prefix, SIX_TO_FOUR.bits)) return { family: 4, bytes: b.slice(2, 6) };
  return null;
}

/**
 * Why an address must not be dialled by a capsule (loopback, private,
 * link-local, multicast, unspecified, …), or null when it is a public
 * address. IPv6 addresses that embed an IPv4 address are judged by it. Pure.
 */
export function unsafeReason(address: string | IpAddress): string | null {
  const ip = typeof address === 'string' ? parseIp(address) : address;
  if (ip === null) return 'not an IP address';
  const v4 = embeddedIpv4(ip);
  const target = v4 ?? ip;
  for (const b of target.family === 4 ? V4_BLOCKS : V6_BLOCKS) {
    if (inPrefix(target.bytes, b.prefix, b.bits)) return b.why;
  }
  return null;
}

export function isSafeIp(address: string | IpAddress): boolean {
  return unsafeReason(address) === null;
}
