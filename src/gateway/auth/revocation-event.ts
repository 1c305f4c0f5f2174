import { checkPrincipalId, type PrincipalId } from '../../core/ids/principal-id.js';
import type { Json } from '../../events/json.js';

/** The audit method the kernel writes when a principal is deleted. */
export const DELETE_METHOD = 'admin.agent.delete';

export interface RevocationDecision {
  readonly principal: PrincipalId;
  readonly epoch: number;
}

/**
 * Decides whether one live audit entry (§0.4) revokes bearers: a successful
 * `admin.agent.delete` of a valid principal. The kernel audits mutations
 * after the handler runs, so `success` means the principal is gone. A
 * missing timestamp falls back to `nowEpoch`.
 */
export function revocationFromAudit(
  entry: Json | undefined,
  nowEpoch: number,
): RevocationDecision | null {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return null;
  if (entry.method !== DELETE_METHOD || entry.outcome !== 'success') return null;
  const target = entry.target_principal;
  if (typeof target !== 'string') return null;
  const principal = checkPrincipalId(target);
  if (!principal.ok) return null;
  const ts = entry.ts_epoch;
  const epoch = typeof ts === 'number' && Number.isSafeInteger(ts) && ts >= 0 ? ts : nowEpoch;
  return { principal: principal.value, epoch };
}
