import { AstridError } from '../../../../../core/errors.js';
import { embeddedIpv4 } from './airlock.js';
import { formatIp, type IpAddress, inPrefix, parseIp } from './ip-address.js';

/** One operator exception: an address or CIDR block and a port (null = any). */
export interface AirlockException {
  readonly text: string;
  readonly family: 4 | 6;
  readonly prefix: Uint8Array;
  readonly bits: number;
  readonly port: number | null;
}

function bad(entry: string, why: string): AstridError {
  return new AstridError(
    'config',
    `network.airlock_exceptions: ${JSON.stringify(entry)} ${why}; write an IP address or CIDR block and a port, e.g. "127.0.0.1:11434", "[::1]:8080" or "10.0.0.0/8:*"`,
  );
}

/**
 * Parses one operator entry `<ip-or-cidr>:<port|*>` (IPv6 in brackets).
 * Host names are refused: the airlock judges the addresses actually dialled,
 * so an exception must name addresses. Pure.
 */
export function parseAirlockException(entry: string): AirlockException {
  const text = entry.trim();
  const colon = text.lastIndexOf(':');
  if (colon <= 0) throw bad(entry, 'has no port');
  const hostPart = text.slice(0, colon);
  const portPart = text.slice(colon + 1);
  let port: number | null;
  if (portPart === '*') port = null;
  else if (/^\d{1,5}$/.test(portPart) && Number(portPart) <= 65_535) port = Number(portPart);
  else throw bad(entry, `has an invalid port ${JSON.stringify(portPart)}`);
  let host = hostPart;
  if (host.startsWith('[')) {
    if (!host.includes(']')) throw bad(entry, 'has an unclosed bracket');
    host = host.slice(1).replace(']', '');
  } else if (host.includes(':') && !host.includes('/')) {
    throw bad(entry, 'is an IPv6 address without brackets');
  }
  let bitsText: string | null = null;
  const slash = host.indexOf('/');
  if (slash !== -1) {
    bitsText = host.slice(slash + 1);
    host = host.slice(0, slash);
  }
  const ip = parseIp(host);
  if (ip === null) throw bad(entry, 'does not name an IP address (host names are not accepted)');
  const max = ip.family === 4 ? 32 : 128;
  let bits = max;
  if (bitsText !== null) {
    if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > max)
      throw bad(entry, `has an invalid prefix length /${bitsText}`);
    bits = Number(bitsText);
  }
  return { text, family: ip.family, prefix: ip.bytes, bits, port };
}

/**
 * The operator's airlock exceptions (`network.airlock_exceptions` in
 * `etc/config.toml`): local or private targets capsules may reach, such as a
 * model server on `127.0.0.1:11434`. A capsule still needs its own `net` or
 * `net_connect` entry; the exception only lifts the airlock for that address.
 */
export class AirlockExceptions {
  static readonly NONE = new AirlockExceptions([]);
  readonly entries: readonly AirlockException[];

  constructor(entries: readonly AirlockException[]) {
    this.entries = entries;
  }

  static parse(list: readonly string[]): AirlockExceptions {
    return new AirlockExceptions(list.map(parseAirlockException));
  }

  /** The exception that covers dialling `address` on `port`, if any. */
  covering(address: string | IpAddress, port: number): AirlockException | null {
    const ip = typeof address === 'string' ? parseIp(address) : address;
    if (ip === null) return null;
    const candidates = [ip];
    const v4 = embeddedIpv4(ip);
    if (v4 !== null) candidates.push(v4);
    for (const e of this.entries) {
      if (e.port !== null && e.port !== port) continue;
      for (const c of candidates) {
        if (c.family === e.family && inPrefix(c.bytes, e.prefix, e.bits)) return e;
      }
    }
    return null;
  }

  describe(): string[] {
    return this.entries.map((e) => {
      const host = formatIp({ family: e.family, bytes: e.prefix });
      const full = e.bits === (e.family === 4 ? 32 : 128) ? host : `${host}/${e.bits}`;
      return `${e.family === 6 ? `[${full}]` : full}:${e.port ?? '*'}`;
    });
  }
}
