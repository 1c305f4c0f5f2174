import type { AdminAuditView } from '../../../storage/audit/audit-entry.js';
import { renderTable } from '../../render/table.js';

/** An entry's time as RFC 3339 UTC to the second. Pure. */
export function auditTime(tsEpoch: number): string {
  return new Date(tsEpoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The `audit list` table: TIME, PRINCIPAL, METHOD, OUTCOME, TARGET. Pure. */
export function auditTable(entries: readonly AdminAuditView[]): string {
  return renderTable(
    ['TIME', 'PRINCIPAL', 'METHOD', 'OUTCOME', 'TARGET'],
    entries.map((e) => [
      auditTime(e.ts_epoch),
      e.principal ?? '(system)',
      e.method,
      e.outcome,
      e.target_principal ?? '-',
    ]),
  );
}

export interface AuditFilters {
  readonly since?: number;
  readonly until?: number;
  readonly method?: string;
  readonly principal?: string;
  readonly limit?: number;
}

function shellWord(word: string): string {
  return /^[A-Za-z0-9_.:@%+=/-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * The command that fetches the next page: the cursor plus the same filters
 * (times as absolute seconds, so a relative `--since 1h` does not drift). Pure.
 */
export function nextPageCommand(cursor: string, filters: AuditFilters): string {
  const words = ['astrid', 'audit', 'list', '--cursor', cursor];
  if (filters.since !== undefined) words.push('--since', String(filters.since));
  if (filters.until !== undefined) words.push('--until', String(filters.until));
  if (filters.method !== undefined) words.push('--method', filters.method);
  if (filters.principal !== undefined) words.push('--principal', filters.principal);
  if (filters.limit !== undefined) words.push('--limit', String(filters.limit));
  return words.map(shellWord).join(' ');
}
