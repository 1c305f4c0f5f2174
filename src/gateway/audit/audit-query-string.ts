import { type AstridError, err, invalidInput, ok, type Result } from '../../core/errors.js';
import { checkPrincipalId } from '../../core/ids/principal-id.js';
import type { JsonObject } from '../../events/json.js';
import { MAX_AUDIT_PAGE } from '../../storage/audit/audit-query.js';

/** `GET /api/sys/audit` query, after the route schema coerced the numbers (spec §1.10). */
export interface AuditQueryString {
  readonly since?: number;
  readonly until?: number;
  readonly method?: string;
  readonly principal?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

/**
 * Turns the query string into `AuditQuery` params for the kernel, refusing
 * what can never succeed: a page over the cap, an inverted time range, an
 * invalid principal id, an empty method. Empty `cursor` means the first
 * page. The kernel still decides scope (it pins callers without
 * `audit:read_all` to their own rows) and cursor validity. Pure.
 */
export function auditQueryParams(q: AuditQueryString): Result<JsonObject, AstridError> {
  if (q.limit !== undefined && q.limit > MAX_AUDIT_PAGE)
    return err(invalidInput(`limit ${q.limit} exceeds the cap of ${MAX_AUDIT_PAGE}`));
  if (q.since !== undefined && q.until !== undefined && q.since > q.until)
    return err(invalidInput(`since (${q.since}) is after until (${q.until})`));
  if (q.method !== undefined && q.method.length === 0)
    return err(invalidInput('method must not be empty (e.g. method=admin.invite.issue)'));
  if (q.principal !== undefined) {
    const checked = checkPrincipalId(q.principal);
    if (!checked.ok) return err(invalidInput(`principal: ${checked.error.message}`));
  }
  const params: JsonObject = {};
  if (q.since !== undefined) params.since = q.since;
  if (q.until !== undefined) params.until = q.until;
  if (q.method !== undefined) params.method = q.method;
  if (q.principal !== undefined) params.principal = q.principal;
  if (q.limit !== undefined) params.limit = q.limit;
  if (q.cursor !== undefined && q.cursor.length > 0) params.cursor = q.cursor;
  return ok(params);
}
