import { CapabilityCheck } from '../../core/capabilities/capability-check.js';
import { AUDIT_READ_ALL } from '../../core/capabilities/special-capabilities.js';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import type { Json, JsonObject } from '../../events/json.js';
import { ParamsReader } from '../admin/params-reader.js';
import type { KernelMethod } from '../requests/kernel-method.js';
import type { KernelState } from '../state/kernel-state.js';
import { AUDIT_READ_SELF, AUDIT_VERIFY, scopeAuditQuery } from './audit-query-params.js';

function holdsFirehose(state: KernelState, caller: PrincipalId): boolean {
  try {
    return new CapabilityCheck(
      state.profileCache.resolveSync(caller),
      state.groups.current(),
      caller,
    ).has(AUDIT_READ_ALL);
  } catch {
    // An unreadable profile never widens what the caller sees.
    return false;
  }
}

/**
 * `AuditQuery` (`self:audit:read`; everyone's rows only with
 * `audit:read_all`) pages `admin_request` rows newest first;
 * `AuditVerify` (`audit:verify`) checks the whole chain.
 */
export function auditMethods(state: KernelState): KernelMethod[] {
  return [
    {
      name: 'AuditQuery',
      capability: AUDIT_READ_SELF,
      ratePerMinute: null,
      mutating: false,
      handle: (raw, caller) => {
        const { query, firehose } = scopeAuditQuery(raw, caller, holdsFirehose(state, caller));
        const page = state.audit.query(query);
        return {
          status: 'Success',
          data: {
            entries: page.entries as unknown as Json[],
            next_cursor: page.next_cursor,
            principal: query.principal ?? null,
            firehose,
          },
        };
      },
    },
    {
      name: 'AuditVerify',
      capability: AUDIT_VERIFY,
      ratePerMinute: null,
      mutating: false,
      handle: (raw) => {
        new ParamsReader('AuditVerify', raw).done();
        const v = state.audit.verify();
        const issues: JsonObject[] = v.issues.map((i) => ({
          kind: i.kind,
          seq: i.seq,
          id: i.id,
          chain: i.chain,
          message: i.detail,
        }));
        return {
          status: 'Success',
          data: { valid: v.valid, entries: v.entriesVerified, chains: v.chains, issues },
        };
      },
    },
  ];
}
