import { randomBytes } from 'node:crypto';
import { createBLAKE3 } from 'hash-wasm';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
export const PROCESS_ID_PATTERN = /^[a-z2-7]{52}$/;

/** Lowercase RFC 4648 base32 without padding. Pure. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** A new persistent-process id: 256 bits from the OS CSPRNG, 52 base32 characters. */
export function newProcessId(): string {
  return base32(randomBytes(32));
}

/**
 * Hashes process ids for a registry: the registry keys entries by a BLAKE3
 * hash keyed with 32 random bytes of its own, so the id itself is never a
 * lookup key; audits carry a short unkeyed hash, never the id.
 */
export class ProcessIdHasher {
  private readonly keyed: (id: string) => string;
  private readonly plain: (id: string) => string;

  private constructor(keyed: (id: string) => string, plain: (id: string) => string) {
    this.keyed = keyed;
    this.plain = plain;
  }

  static async create(): Promise<ProcessIdHasher> {
    const k = await createBLAKE3(256, randomBytes(32));
    const p = await createBLAKE3(256);
    const run = (h: typeof k) => (id: string) => {
      h.init();
      h.update(id);
      return h.digest('hex');
    };
    return new ProcessIdHasher(run(k), run(p));
  }

  /** The registry key of an id. */
  key(id: string): string {
    return this.keyed(id);
  }

  /** The first 16 hex characters of the id's unkeyed BLAKE3 (for audit lines and event topics). */
  short(id: string): string {
    return this.plain(id).slice(0, 16);
  }
}
