import type { Command } from 'commander';
import { type CliKit, formatOf } from '../../command-kit.js';
import { secretDelete } from './delete.js';
import { secretList } from './list.js';
import { type SecretFlags, secretSet } from './set.js';

/** Reads all of stdin (the `-` VALUE of `secret set`). */
function readStdin(input: NodeJS.ReadableStream = process.stdin): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    input.setEncoding?.('utf8');
    input.on('data', (chunk: string) => {
      text += chunk;
    });
    input.once('end', () => resolve(text));
    input.once('error', reject);
  });
}

const SET_HELP = `
VALUE "-" reads the value from stdin, which keeps it out of your shell history
and the process list (one trailing newline is dropped):
  printf %s "$OPENAI_KEY" | astrid secret set OPENAI_API_KEY - --capsule openai
  astrid secret set OPENAI_API_KEY - --capsule openai < key.txt

Keys the capsule declares with type = "secret" go to the file secret store
($ASTRID_HOME/secrets/<agent or __host__>/<capsule>/KEY, 0600); other keys go to
$ASTRID_HOME/home/<agent>/.config/env/<capsule or default>.env.json (0600).
`;

/** Registers the `secret` verbs (local files; no daemon needed). */
export function register(program: Command, kit: CliKit): void {
  const secret = program
    .command('secret')
    .description('Store capsule secrets and env values (local files; values are never printed)');

  secret
    .command('set')
    .description('Set a secret or env value')
    .argument('<key>', 'variable name, e.g. API_KEY')
    .argument('<value>', 'the value, or - to read it from stdin')
    .option('-a, --agent <agent>', 'the agent it is for (default: the active agent)')
    .option('--capsule <name>', 'the installed capsule it is for')
    .option('--scope <scope>', 'agent (default) or shared (every agent; declared secrets only)')
    .addHelpText('after', SET_HELP)
    .action(async (key: string, value: string, opts: SecretFlags, cmd: Command) => {
      await kit.run(formatOf(cmd), (session) =>
        secretSet(session, kit.io, key, value, opts, () => readStdin()),
      );
    });

  secret
    .command('list')
    .description('List stored keys and where they live (never their values)')
    .option('-a, --agent <agent>', 'whose keys (default: the active agent)')
    .option('--format <format>', 'output format: pretty, json, yaml or toml')
    .action(async (opts: { agent?: string }, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) => secretList(session, kit.io, opts.agent, format));
    });

  secret
    .command('delete')
    .description('Delete a secret or env value')
    .argument('<key>', 'variable name')
    .option('-a, --agent <agent>', 'whose key (default: the active agent)')
    .option('--capsule <name>', 'the capsule it belongs to')
    .option('--scope <scope>', 'agent (default) or shared')
    .action(async (key: string, opts: SecretFlags, cmd: Command) => {
      await kit.run(formatOf(cmd), (session) => secretDelete(session, kit.io, key, opts));
    });
}
