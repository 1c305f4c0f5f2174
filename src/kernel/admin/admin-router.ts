import { isAstridError } from '../../core/errors.js';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import type { Logger } from '../../core/logger.js';
import { ipcEvent } from '../../events/astrid-event.js';
import type { BusTransport, RoutedSubscription } from '../../events/bus-transport.js';
import { type IpcMessage, ipcMessage } from '../../events/ipc-message.js';
import { rawJson, rawJsonBody } from '../../events/ipc-payload.js';
import type { JsonObject } from '../../events/json.js';
import type { UnsignedAuditEntry } from '../../storage/audit/audit-log.js';
import type { RequestAuditor } from '../audit/request-auditor.js';
import { authorizeRequest } from '../requests/authorize.js';
import { resolveCaller } from '../requests/caller.js';
import type { KernelState } from '../state/kernel-state.js';
import type { AdminBody, AdminResponse } from './admin-body.js';
import { adminPolicy } from './admin-policy.js';
import {
  type AdminKind,
  auditMethod,
  decodeAdminKind,
  MUTATING_METHODS,
  readAdminEnvelope,
} from './admin-request.js';
import type { AdminService } from './admin-service.js';
import { redactedParams } from './audit-redaction.js';

export const ADMIN_PREFIX = 'astrid.v1.admin.';
export const ADMIN_RESPONSE_PREFIX = 'astrid.v1.admin.response.';

/** Big enough that a burst of requests from one principal is queued, not dropped. */
const ROUTER_QUEUE = { budgetBytes: 64 * 1024 * 1024, maxQueueMessages: 16_384 };

function errorMessage(e: unknown): { code: string; message: string } {
  if (isAstridError(e)) return { code: e.code, message: e.message };
  return { code: 'internal', message: 'internal error (see the daemon log)' };
}

/**
 * Serves the admin API on `astrid.v1.admin.<suffix>`: decode → attribute →
 * authorize → handle → audit → answer on `astrid.v1.admin.response.<suffix>`
 * with the request id echoed. Every request gets exactly one answer and one
 * audit row; a mutating request's row commits in the same transaction as its
 * change, with the real outcome.
 */
export class AdminRouter {
  private readonly state: KernelState;
  private readonly service: AdminService;
  private readonly auditor: RequestAuditor;
  private readonly bus: BusTransport;
  private readonly sessionId: string;
  private readonly logger: Logger;
  private sub: RoutedSubscription | null = null;
  private loop: Promise<void> | null = null;

  constructor(init: {
    state: KernelState;
    service: AdminService;
    auditor: RequestAuditor;
    bus: BusTransport;
    sessionId: string;
  }) {
    this.state = init.state;
    this.service = init.service;
    this.auditor = init.auditor;
    this.bus = init.bus;
    this.sessionId = init.sessionId;
    this.logger = init.state.logger.child({ component: 'admin_router' });
  }

  start(): void {
    const sub = this.bus.subscribeRouted({
      capsuleUuid: this.sessionId,
      pattern: `${ADMIN_PREFIX}*`,
      capsuleLabel: 'kernel',
      label: 'admin_router',
      ...ROUTER_QUEUE,
    });
    this.sub = sub;
    this.loop = (async () => {
      while (!sub.closed) {
        const batch = await sub.recvBatch(ROUTER_QUEUE.budgetBytes);
        for (const message of batch) {
          try {
            this.serve(message);
          } catch (e) {
            this.logger.error(
              { err: e instanceof Error ? e.stack : String(e), topic: message.topic },
              'admin router failed on a message',
            );
          }
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.sub?.close();
    await this.loop;
  }

  /** Handles one bus message (exposed for tests). */
  serve(message: IpcMessage): void {
    if (!message.topic.startsWith(ADMIN_PREFIX) || message.topic.startsWith(ADMIN_RESPONSE_PREFIX))
      return;
    const body = rawJsonBody(message.payload);
    if (body === undefined) return;
    const suffix = message.topic.slice(ADMIN_PREFIX.length);
    const responseTopic = `${ADMIN_RESPONSE_PREFIX}${suffix}`;
    let requestId: string | undefined;
    let caller: PrincipalId | null = null;
    let method = `admin.${suffix}`;
    let kind: AdminKind | null = null;
    try {
      const envelope = readAdminEnvelope(body);
      requestId = envelope.requestId;
      const who = resolveCaller(message);
      if (!who.ok) throw who.error;
      caller = who.value;
      kind = decodeAdminKind(envelope.method, envelope.params);
      method = auditMethod(kind.method);
    } catch (e) {
      const { code, message: text } = errorMessage(e);
      const entry = this.auditor.recordOrLog(
        {
          caller,
          method,
          requiredCapability: 'none',
          targetPrincipal: null,
          params: null,
          authorization: { type: 'denied', reason: text },
          error: text,
        },
        false,
      );
      this.answer(responseTopic, {
        ...(requestId === undefined ? {} : { request_id: requestId }),
        status: 'Error',
        data: text,
        code,
      });
      if (entry !== null) this.auditor.publish(entry);
      return;
    }
    this.run(kind, caller, method, requestId, responseTopic);
  }

  private run(
    kind: AdminKind,
    caller: PrincipalId,
    method: string,
    requestId: string | undefined,
    responseTopic: string,
  ): void {
    const policy = adminPolicy(kind, caller);
    const params = redactedParams(kind);
    const base = {
      caller,
      method,
      requiredCapability: policy.auditCapability,
      targetPrincipal: policy.target,
      params,
    };
    const id = requestId === undefined ? {} : { request_id: requestId };

    if (policy.capability !== null) {
      let profile = null;
      try {
        profile = this.state.profileCache.resolveSync(caller);
      } catch (e) {
        this.logger.warn(
          { principal: caller, err: (e as Error).message },
          'caller profile unreadable; denying',
        );
      }
      const auth = authorizeRequest(
        caller,
        profile,
        this.state.groups.current(),
        policy.capability,
      );
      if (!auth.allowed) {
        this.logger.warn(
          { security_event: true, principal: caller, method, reason: auth.reason },
          'admin request denied',
        );
        const entry = this.auditor.recordOrLog(
          { ...base, authorization: { type: 'denied', reason: auth.reason }, error: auth.reason },
          true,
        );
        this.answer(responseTopic, {
          ...id,
          status: 'Error',
          data: auth.reason,
          code: 'capability-denied',
        });
        if (entry !== null) this.auditor.publish(entry);
        return;
      }
    }
    const allowed =
      policy.capability === null
        ? { type: 'system' as const, reason: 'redeem (invite or pair-device): token is the auth' }
        : { type: 'system' as const, reason: `policy allow: ${caller} holds ${policy.capability}` };

    const mutating = MUTATING_METHODS.has(kind.method);
    let result: { body: AdminBody; entry: UnsignedAuditEntry };
    try {
      if (mutating) {
        this.state.audit.flush();
        result = this.state.db.transaction(() => {
          const out = this.service.handle(kind, caller);
          return {
            body: out,
            entry: this.auditor.record({ ...base, authorization: allowed, error: null }, true),
          };
        });
      } else {
        const out = this.service.handle(kind, caller);
        result = {
          body: out,
          entry: this.auditor.record({ ...base, authorization: allowed, error: null }, false),
        };
      }
    } catch (e) {
      const { code, message: text } = errorMessage(e);
      if (!isAstridError(e))
        this.logger.error(
          { err: e instanceof Error ? e.stack : String(e), method },
          'admin handler failed',
        );
      const authorization =
        policy.capability === null ? { type: 'denied' as const, reason: text } : allowed;
      const entry = this.auditor.recordOrLog({ ...base, authorization, error: text }, mutating);
      this.answer(responseTopic, { ...id, status: 'Error', data: text, code });
      if (entry !== null) this.auditor.publish(entry);
      return;
    }
    this.answer(responseTopic, { ...id, status: result.body.status, data: result.body.data });
    this.auditor.publish(result.entry);
  }

  private answer(topic: string, response: AdminResponse): void {
    this.bus.publish(
      ipcEvent(
        ipcMessage({
          topic,
          payload: rawJson(response as unknown as JsonObject),
          sourceId: this.sessionId,
        }),
        'admin_router',
        this.sessionId,
      ),
    );
  }
}
