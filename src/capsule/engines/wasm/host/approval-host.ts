import { randomUUID } from 'node:crypto';
import { ipcEvent } from '../../../../events/astrid-event.js';
import { ipcMessage } from '../../../../events/ipc-message.js';
import type { AllowanceScope } from '../../../../storage/approvals/allowance-store.js';
import type { AuditAction } from '../../../../storage/audit/audit-entry.js';
import { askAndWait } from './ask-human.js';
import { stripControlChars } from './control-chars.js';
import type { HostFunction } from './host-dispatcher.js';
import { HostError } from './host-error.js';
import type { InstanceState } from './instance-state.js';
import { responderAllowed } from './responder-check.js';

const APPROVAL = 'astrid:approval/host@1.0.0';
export const APPROVAL_TOPIC = 'astrid.v1.approval';
export const APPROVAL_RESPONSE_PREFIX = 'astrid.v1.approval.response.';
export const APPROVAL_TIMEOUT_MS = 60_000;
export const MAX_ACTION_CHARS = 256;
export const MAX_RESOURCE_CHARS = 1024;
export const RESPOND_CAPABILITY = 'self:approval:respond';

type Decision = 'denied' | 'approved' | 'approved-session' | 'approved-always' | 'allowance';

function clean(value: string): string {
  return stripControlChars(value.trim());
}

function record(
  state: InstanceState,
  action: string,
  resource: string,
  decision: Decision,
  reason: string | null,
): void {
  const principal = state.effectivePrincipal;
  const granted = decision !== 'denied';
  const scope: 'always' | 'session' | 'once' =
    decision === 'approved-always' || decision === 'allowance'
      ? 'always'
      : decision === 'approved-session'
        ? 'session'
        : 'once';
  const audited: AuditAction = granted
    ? { type: 'approval_granted', action, resource, scope }
    : { type: 'approval_denied', action, reason };
  try {
    state.host.services.audit.append({
      principal,
      action: audited,
      authorization:
        decision === 'allowance'
          ? { type: 'system', reason: `standing allowance for capsule '${state.host.capsuleId}'` }
          : granted
            ? { type: 'system', reason: `approved by ${principal}` }
            : { type: 'denied', reason: reason ?? 'denied' },
      outcome: granted
        ? { status: 'success', details: decision }
        : { status: 'failure', error: reason ?? 'denied' },
    });
  } catch (e) {
    state.host.logger.error({ err: (e as Error).message }, 'could not audit an approval decision');
  }
}

/** `astrid:approval/host`: a human (the invoking principal's client) decides. */
export const APPROVAL_HOST: ReadonlyArray<readonly [string, HostFunction]> = [
  [
    `${APPROVAL}#requestApproval`,
    async (state, args) => {
      const req = (args[0] ?? {}) as { action?: unknown; targetResource?: unknown };
      if (typeof req.action !== 'string' || typeof req.targetResource !== 'string')
        throw new HostError('invalid-input', 'action and target-resource are required');
      if ([...req.action].length > MAX_ACTION_CHARS)
        throw new HostError('invalid-input', `action is at most ${MAX_ACTION_CHARS} characters`);
      const action = clean(req.action);
      if (action.length === 0) throw new HostError('invalid-input', 'action must not be blank');
      const resource = [...clean(req.targetResource)].slice(0, MAX_RESOURCE_CHARS).join('');
      const host = state.host;
      const principal = state.effectivePrincipal;
      const allowanceKey = { principal, capsule: host.capsuleId, action, resource };
      if (host.services.allowances.find(allowanceKey) !== null) {
        record(state, action, resource, 'allowance', null);
        return { decision: 'allowance' };
      }
      const requestId = randomUUID();
      const question = ipcEvent(
        ipcMessage({
          topic: APPROVAL_TOPIC,
          payload: {
            type: 'approval_required',
            request_id: requestId,
            action,
            resource,
            reason: `Capsule '${host.capsuleId}' requests approval`,
          },
          sourceId: host.sessionUuid,
          principal,
        }),
        'wasm_guest',
        host.sessionUuid,
      );
      host.logger.debug(
        {
          audit: 'astrid.audit.approval',
          capsule_id: host.capsuleId,
          principal,
          fn: `${APPROVAL}.request-approval`,
          request_id: requestId,
        },
        'host call',
      );
      const timeoutMs = host.services.timeouts?.approvalMs ?? APPROVAL_TIMEOUT_MS;
      const reply = await askAndWait(
        state,
        `${APPROVAL_RESPONSE_PREFIX}${requestId}`,
        question,
        timeoutMs,
        (m) => responderAllowed(state, m, RESPOND_CAPABILITY),
      );
      if (reply === null) {
        record(state, action, resource, 'denied', 'no answer before the timeout');
        throw new HostError('timeout', `no decision within ${timeoutMs / 1000} s`);
      }
      if (reply.payload.type !== 'approval_response' || reply.payload.request_id !== requestId) {
        record(state, action, resource, 'denied', 'malformed answer');
        throw new HostError(
          'unknown',
          'the answer was not an approval_response',
          'the answer was not an approval_response',
        );
      }
      const answer = reply.payload.decision;
      const decision: Decision =
        answer === 'approve'
          ? 'approved'
          : answer === 'approve_session'
            ? 'approved-session'
            : answer === 'approve_always'
              ? 'approved-always'
              : 'denied';
      const scope: AllowanceScope | null =
        decision === 'approved-session'
          ? 'session'
          : decision === 'approved-always'
            ? 'always'
            : null;
      if (scope !== null) host.services.allowances.grant(allowanceKey, scope);
      record(
        state,
        action,
        resource,
        decision,
        decision === 'denied' ? (reply.payload.reason ?? null) : null,
      );
      return { decision };
    },
  ],
];
