import { AstridError } from '../../core/errors.js';
import { checkPrincipalId, type PrincipalId } from '../../core/ids/principal-id.js';
import type { Json } from '../../events/json.js';
import { type AuditQuery, resolveAuditQuery } from '../../storage/audit/audit-query.js';
import { ParamsReader } from '../admin/params-reader.js';

/** Reading one's own audit rows (the built-in `agent` group holds it through `self:*`). */
export const AUDIT_READ_SELF = 'self:audit:read';
/** Verifying the whole audit chain (signatures, links, heads). */
export const AUDIT_VERIFY = 'audit:verify';

export interface ScopedAuditQuery {
  readonly query: AuditQuery;
  /** Whether the caller reads everyone's rows (`audit:read_all`). */
  readonly firehose: boolean;
}

/**
 * Turns `AuditQuery` params into a store query. A caller without
 * `audit:read_all` is pinned to its own rows whatever `principal` says (the
 * answer reports the principal actually applied, so clients can tell). Pure.
 */
export function scopeAuditQuery(
  raw: Json | undefined,
  caller: PrincipalId,
  firehose: boolean,
): ScopedAuditQuery {
  const p = new ParamsReader('AuditQuery', raw);
  const since = p.optionalCount('since');
  const until = p.optionalCount('until');
  const method = p.optionalString('method');
  const principal = p.optionalString('principal');
  const limit = p.optionalCount('limit');
  const cursor = p.optionalString('cursor');
  p.done();
  if (principal !== undefined) {
    const checked = checkPrincipalId(principal);
    if (!checked.ok)
      throw new AstridError('invalid-input', `AuditQuery: principal: ${checked.error.message}`);
  }
  if (method !== undefined && method.length === 0)
    throw new AstridError('invalid-input', 'AuditQuery: method must not be empty');
  const query: AuditQuery = {
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
    ...(method === undefined ? {} : { method }),
    ...(limit === undefined ? {} : { limit }),
    ...(cursor === undefined ? {} : { cursor }),
    // Fail closed: without the firehose capability only one's own rows.
    ...(firehose
      ? principal === undefined
        ? {}
        : { principal }
      : { principal: caller as string }),
  };
  // Validate bounds and the cursor here so a bad query never reaches the store.
  resolveAuditQuery(query);
  return { query, firehose };
}
