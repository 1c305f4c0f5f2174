import { AstridError } from '../../core/errors.js';

export const DEFAULT_AUDIT_PAGE = 100;
export const MAX_AUDIT_PAGE = 1000;

export interface AuditQuery {
  /** Inclusive lower bound on `ts_epoch`. */
  readonly since?: number;
  /** Inclusive upper bound on `ts_epoch`. */
  readonly until?: number;
  /** Exact method (`admin.agent.create`, `GetStatus`). */
  readonly method?: string;
  /** Only rows of this principal (callers without `audit:read_all` are pinned to themselves). */
  readonly principal?: string;
  /** Page size: 1–1000, default 100 (0 also means the default). */
  readonly limit?: number;
  /** Opaque cursor from a previous page's `next_cursor`. */
  readonly cursor?: string;
}

export interface ResolvedAuditQuery {
  readonly since: number | null;
  readonly until: number | null;
  readonly method: string | null;
  readonly principal: string | null;
  readonly limit: number;
  /** Only entries stored before this sequence number. */
  readonly before: number | null;
}

export function encodeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ v: 1, before: seq }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      v?: unknown;
      before?: unknown;
    };
    if (
      value.v === 1 &&
      typeof value.before === 'number' &&
      Number.isSafeInteger(value.before) &&
      value.before > 0
    ) {
      return value.before;
    }
  } catch {
    // fall through
  }
  throw new AstridError(
    'invalid-input',
    'invalid audit cursor: pass the next_cursor of a previous page unchanged',
  );
}

function epoch(name: string, value: number | undefined): number | null {
  if (value === undefined) return null;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new AstridError(
      'invalid-input',
      `${name} must be a whole number of seconds since the epoch`,
    );
  }
  return value;
}

/** Validates a query (limit bounds, cursor) into the form the store runs. */
export function resolveAuditQuery(q: AuditQuery): ResolvedAuditQuery {
  const raw = q.limit ?? 0;
  if (!Number.isSafeInteger(raw) || raw < 0)
    throw new AstridError('invalid-input', 'limit must be a whole number ≥ 0');
  if (raw > MAX_AUDIT_PAGE) {
    throw new AstridError(
      'invalid-input',
      `limit ${raw} is over the maximum page of ${MAX_AUDIT_PAGE}`,
    );
  }
  const since = epoch('since', q.since);
  const until = epoch('until', q.until);
  if (since !== null && until !== null && since > until) {
    throw new AstridError('invalid-input', `since (${since}) is after until (${until})`);
  }
  return {
    since,
    until,
    method: q.method ?? null,
    principal: q.principal ?? null,
    limit: raw === 0 ? DEFAULT_AUDIT_PAGE : raw,
    before: q.cursor === undefined || q.cursor === '' ? null : decodeCursor(q.cursor),
  };
}
