import type { JsonObject } from '../../../events/json.js';
import type { AdminAuditView } from '../../../storage/audit/audit-entry.js';
import { MAX_AUDIT_PAGE } from '../../../storage/audit/audit-query.js';
import { EXIT } from '../../exit-codes.js';
import { type OutputFormat, printStructured, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { type AuditFilters, auditTable, nextPageCommand } from './audit-rows.js';

export interface AuditListOptions extends AuditFilters {
  readonly cursor?: string;
  /** Follow cursors to the last page. */
  readonly all: boolean;
  readonly format: OutputFormat;
}

interface AuditPageAnswer {
  readonly entries: AdminAuditView[];
  readonly next_cursor: string | null;
  /** The principal the kernel filtered on (pinned to the caller without audit:read_all). */
  readonly principal: string | null;
  readonly firehose: boolean;
}

/**
 * `astrid audit list`: `admin_request` audit rows newest first, one page (with
 * the command for the next) or, with `--all`, every page.
 */
export async function auditList(session: CliSession, options: AuditListOptions): Promise<number> {
  const client = await session.client();
  const base: JsonObject = {
    ...(options.since === undefined ? {} : { since: options.since }),
    ...(options.until === undefined ? {} : { until: options.until }),
    ...(options.method === undefined ? {} : { method: options.method }),
    ...(options.principal === undefined ? {} : { principal: options.principal }),
  };
  const limit = options.limit ?? (options.all ? MAX_AUDIT_PAGE : undefined);
  const entries: AdminAuditView[] = [];
  let cursor = options.cursor;
  let page: AuditPageAnswer;
  do {
    const answer = await client.kernel('AuditQuery', {
      ...base,
      ...(limit === undefined ? {} : { limit }),
      ...(cursor === undefined ? {} : { cursor }),
    });
    page = answer.data as unknown as AuditPageAnswer;
    entries.push(...page.entries);
    cursor = page.next_cursor ?? undefined;
  } while (options.all && cursor !== undefined);
  const io = session.io;
  if (!page.firehose && options.principal !== undefined && options.principal !== page.principal) {
    say.warn(
      io,
      `${client.principal} lacks audit:read_all: showing only ${page.principal}'s entries, not ${options.principal}'s`,
    );
  }
  const next = options.all ? null : page.next_cursor;
  if (options.format !== 'pretty') {
    printStructured(io, { entries, next_cursor: next }, options.format);
    return EXIT.ok;
  }
  if (entries.length === 0) say.info(io, 'no audit entries match');
  else io.out(auditTable(entries));
  if (next !== null) say.info(io, `more: ${nextPageCommand(next, options)}`);
  return EXIT.ok;
}
