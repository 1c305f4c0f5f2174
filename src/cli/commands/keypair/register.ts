import type { Command } from 'commander';
import { type CliKit, formatOf } from '../../command-kit.js';
import { keypairDelete } from './delete.js';
import { type GenerateFlags, keypairGenerate } from './generate.js';
import { keypairList } from './list.js';
import { keypairPubkey, parsePubkeyFormat } from './pubkey.js';
import { keypairShow } from './show.js';

const FORMAT_HELP = 'output format: pretty, json, yaml or toml';

/** Registers the `keypair` verbs (local files under keys/local/; no daemon needed). */
export function register(program: Command, kit: CliKit): void {
  const keypair = program
    .command('keypair')
    .description(
      'Manage local ed25519 keypairs (stored in $ASTRID_HOME/keys/local; no daemon needed)',
    );

  keypair
    .command('generate')
    .description('Create a keypair (default name key-<8 hex>)')
    .option('--name <name>', 'keypair name: 1-64 characters of a-z, 0-9 and -')
    .option('--note <text>', 'a note stored with the key')
    .option('--force', 'replace an existing keypair of that name')
    .option('--raw', 'print only the public key (64 hex characters)')
    .option('--format <format>', FORMAT_HELP)
    .action(async (opts: GenerateFlags, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) => keypairGenerate(session, kit.io, opts, format));
    });

  keypair
    .command('list')
    .description('List keypairs')
    .option('--json', 'print JSON (same as --format json)')
    .option('--format <format>', FORMAT_HELP)
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const format = opts.json === true ? 'json' : formatOf(cmd);
      await kit.run(format, (session) => keypairList(session, kit.io, format));
    });

  keypair
    .command('show')
    .description('Show a keypair: fingerprint, public key, note, bound principal')
    .argument('<name>', 'keypair name')
    .option('--format <format>', FORMAT_HELP)
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) => keypairShow(session, kit.io, name, format));
    });

  keypair
    .command('pubkey')
    .description('Print a public key')
    .argument('<name>', 'keypair name')
    .option(
      '--format <format>',
      'hex (default) or openssh (ssh-ed25519 ...); also json, yaml, toml',
    )
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const raw = (cmd.optsWithGlobals() as { format?: string }).format;
      await kit.run(formatOf(cmd), async (session) =>
        keypairPubkey(session, kit.io, name, parsePubkeyFormat(raw)),
      );
    });

  keypair
    .command('delete')
    .description('Delete a keypair (asks for --yes)')
    .argument('<name>', 'keypair name')
    .option('--yes', 'really delete the private key')
    .action(async (name: string, opts: { yes?: boolean }, cmd: Command) => {
      await kit.run(formatOf(cmd), (session) =>
        keypairDelete(session, kit.io, name, opts.yes === true),
      );
    });
}
