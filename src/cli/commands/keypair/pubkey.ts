import { UsageError } from '../../command-kit.js';
import { EXIT } from '../../exit-codes.js';
import { KeypairStore } from '../../keys/keypair-store.js';
import { opensshPublicKey } from '../../keys/openssh.js';
import { type CliIo, printStructured } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';

export type PubkeyFormat = 'hex' | 'openssh' | 'json' | 'yaml' | 'toml';

/**
 * `--format` of `keypair pubkey`: hex (default; `pretty` is hex too),
 * openssh, or a structured format. Anything else is refused rather than
 * guessed, since the output usually ends up in a config file. Pure.
 */
export function parsePubkeyFormat(value: string | undefined): PubkeyFormat {
  const v = (value ?? 'hex').toLowerCase();
  if (v === 'hex' || v === 'pretty') return 'hex';
  if (v === 'openssh' || v === 'json' || v === 'yaml' || v === 'toml') return v;
  if (v === 'yml') return 'yaml';
  throw new UsageError(
    `unknown --format ${JSON.stringify(value)} for keypair pubkey: use hex or openssh (or json, yaml, toml)`,
  );
}

/** `astrid keypair pubkey NAME [--format hex|openssh]`. */
export async function keypairPubkey(
  session: CliSession,
  io: CliIo,
  name: string,
  format: PubkeyFormat,
): Promise<number> {
  const key = await KeypairStore.forHome(session.home).read(name);
  const openssh = opensshPublicKey(Buffer.from(key.publicKeyHex, 'hex'));
  switch (format) {
    case 'hex':
      io.out(`${key.publicKeyHex}\n`);
      break;
    case 'openssh':
      io.out(`${openssh}\n`);
      break;
    default:
      printStructured(
        io,
        {
          name: key.name,
          public_key: key.publicKeyHex,
          openssh,
          fingerprint: key.meta.fingerprint,
        },
        format,
      );
  }
  return EXIT.ok;
}
