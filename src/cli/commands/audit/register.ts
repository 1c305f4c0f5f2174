import type { Command } from 'commander';
import { type CliKit, formatOf } from '../../command-kit.js';
import { auditList } from './audit-list.js';
import { auditVerify } from './audit-verify.js';
import { parseLimit, parseTimeArg } from './time-arg.js';

interface ListFlags {
  since?: string;
  until?: string;
  method?: string;
  principal?: string;
  limit?: string;
  cursor?: string;
  all?: boolean;
}

/** Registers the `audit` verbs. */
export function register(program: Command, kit: CliKit): void {
  const audit = program.command('audit').description('Read and verify the signed audit log');
  audit
    .command('list')
    .description('List audited requests, newest first')
    .option(
      '--since <time>',
      'only entries at or after: RFC 3339, unix seconds, or an age (30m, 1h, 2d)',
    )
    .option('--until <time>', 'only entries at or before (same forms as --since)')
    .option('--method <method>', 'exact method, e.g. admin.agent.create or GetStatus')
    .option('--principal <principal>', "only this principal's entries (others need audit:read_all)")
    .option('--limit <n>', 'entries per page, 1–1000 (default 100)')
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--all', 'follow every page')
    .option('--format <format>', 'output format: pretty, json, yaml or toml')
    .action(async (flags: ListFlags, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, async (session) => {
        const now = Math.floor(Date.now() / 1000);
        return auditList(session, {
          ...(flags.since === undefined
            ? {}
            : { since: parseTimeArg('--since', flags.since, now) }),
          ...(flags.until === undefined
            ? {}
            : { until: parseTimeArg('--until', flags.until, now) }),
          ...(flags.method === undefined ? {} : { method: flags.method }),
          ...(flags.principal === undefined ? {} : { principal: flags.principal }),
          ...(flags.limit === undefined ? {} : { limit: parseLimit(flags.limit) }),
          ...(flags.cursor === undefined ? {} : { cursor: flags.cursor }),
          all: flags.all === true,
          format,
        });
      });
    });
  audit
    .command('verify')
    .description('Verify the audit chain (signatures, links, chain heads)')
    .option('--format <format>', 'output format: pretty, json, yaml or toml')
    .action(async (_opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) => auditVerify(session, format));
    });
}
