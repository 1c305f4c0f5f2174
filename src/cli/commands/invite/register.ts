import type { Command } from 'commander';
import { type CliKit, formatOf } from '../../command-kit.js';
import { type IssueFlags, inviteIssue } from './issue.js';
import { inviteList } from './list.js';
import { inviteRedeem, type RedeemFlags } from './redeem.js';
import { inviteRevoke } from './revoke.js';

const FORMAT_HELP = 'output format: pretty, json, yaml or toml';

/** Registers the `invite` verbs. */
export function register(program: Command, kit: CliKit): void {
  const invite = program
    .command('invite')
    .description('Issue, redeem, list and revoke invites (new principals join with an invite)');

  invite
    .command('issue')
    .description('Issue an invite token (needs invite:issue)')
    .option('--group <group>', 'group the new principal joins', 'agent')
    .option('--expires-secs <secs>', 'lifetime in seconds (1 to 2592000)', '86400')
    .option('--max-uses <n>', 'how many principals may redeem it', '1')
    .option('--metadata <text>', 'a label, or a JSON object, stored with the invite')
    .option('--raw', 'print only the token')
    .option('--format <format>', FORMAT_HELP)
    .action(async (opts: IssueFlags, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) => inviteIssue(session, kit.io, opts, format));
    });

  invite
    .command('redeem')
    .description('Redeem an invite: creates a principal that signs in with the given key')
    .argument('<token>', 'the invite token')
    .option('--public-key <hex>', 'ed25519 public key (64 hex, optionally prefixed ed25519:)')
    .option('--keypair <name>', 'a local keypair (see `astrid keypair generate`)')
    .option('--display-name <name>', 'the new principal is named after it when free')
    .option('--switch', 'make the new principal the active agent')
    .option('--format <format>', FORMAT_HELP)
    .action(async (token: string, opts: RedeemFlags, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) => inviteRedeem(session, kit.io, token, opts, format));
    });

  invite
    .command('list')
    .description('List live invites (needs invite:list)')
    .option('--json', 'print JSON (same as --format json)')
    .option('--format <format>', FORMAT_HELP)
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const format = opts.json === true ? 'json' : formatOf(cmd);
      await kit.run(format, (session) => inviteList(session, kit.io, format));
    });

  invite
    .command('revoke')
    .description('Revoke an invite by its token or its fingerprint (needs invite:revoke)')
    .argument('<token-or-fingerprint>', 'the token, or the FINGERPRINT shown by `invite list`')
    .option('--format <format>', FORMAT_HELP)
    .action(async (value: string, _opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) => inviteRevoke(session, kit.io, value, format));
    });
}
