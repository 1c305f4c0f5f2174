import { AstridError, isAstridError } from '../../core/errors.js';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import type { Logger } from '../../core/logger.js';
import { ipcEvent } from '../../events/astrid-event.js';
import type { BusTransport, RoutedSubscription } from '../../events/bus-transport.js';
import { type IpcMessage, ipcMessage } from '../../events/ipc-message.js';
import { rawJson, rawJsonBody } from '../../events/ipc-payload.js';
import { isJsonObject, type Json, type JsonObject } from '../../events/json.js';
import type { RequestAuditor } from '../audit/request-auditor.js';
import type { KernelState } from '../state/kernel-state.js';
import { authorizeRequest } from './authorize.js';
import { resolveCaller } from './caller.js';
import type { KernelBody, KernelMethod } from './kernel-method.js';
import { MethodRateLimiter } from './method-rate-limiter.js';

export const REQUEST_PREFIX = 'astrid.v1.request.';
export const RESPONSE_PREFIX = 'astrid.v1.response.';

const ROUTER_QUEUE = { budgetBytes: 16 * 1024 * 1024, maxQueueMessages: 4096 };

interface Decoded {
  readonly method: string;
  readonly params: Json | undefined;
}

function decode(body: Json | undefined): Decoded {
  if (!isJsonObject(body) || typeof body.method !== 'string') {
    throw new AstridError(
      'invalid-input',
      'a kernel request is {"method": "<Name>", "params"?: {...}}',
    );
  }
  const { method, params, ...rest } = body;
  if (Object.keys(rest).length > 0) {
    throw new AstridError(
      'invalid-input',
      `unknown kernel request field(s) ${Object.keys(rest)
        .map((k) => JSON.stringify(k))
        .join(', ')}`,
    );
  }
  return { method, params };
}

/**
 * Serves `astrid.v1.request.<suffix>` one request at a time in arrival
 * order and answers on `astrid.v1.response.<suffix>`: rate limit (per method,
 * before anything else, answered — never left to time out) → attribute →
 * authorize → handle → audit with the real outcome → answer.
 */
export class KernelRouter {
  private readonly methods = new Map<string, KernelMethod>();
  private readonly limiter = new MethodRateLimiter();
  private readonly state: KernelState;
  private readonly auditor: RequestAuditor;
  private readonly bus: BusTransport;
  private readonly sessionId: string;
  private readonly logger: Logger;
  private sub: RoutedSubscription | null = null;
  private loop: Promise<void> | null = null;

  constructor(init: {
    state: KernelState;
    auditor: RequestAuditor;
    bus: BusTransport;
    sessionId: string;
  }) {
    this.state = init.state;
    this.auditor = init.auditor;
    this.bus = init.bus;
    this.sessionId = init.sessionId;
    this.logger = init.state.logger.child({ component: 'kernel_router' });
  }

  register(method: KernelMethod): void {
    this.methods.set(method.name, method);
  }

  get methodNames(): string[] {
    return [...this.methods.keys()].sort();
  }

  start(): void {
    const sub = this.bus.subscribeRouted({
      capsuleUuid: this.sessionId,
      pattern: `${REQUEST_PREFIX}*`,
      capsuleLabel: 'kernel',
      label: 'kernel_router',
      ...ROUTER_QUEUE,
    });
    this.sub = sub;
    this.loop = (async () => {
      while (!sub.closed) {
        const batch = await sub.recvBatch(ROUTER_QUEUE.budgetBytes);
        for (const message of batch) {
          try {
            await this.serve(message);
          } catch (e) {
            this.logger.error(
              { err: e instanceof Error ? e.stack : String(e), topic: message.topic },
              'kernel router failed on a message',
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

  async serve(message: IpcMessage): Promise<void> {
    if (!message.topic.startsWith(REQUEST_PREFIX)) return;
    const body = rawJsonBody(message.payload);
    if (body === undefined) return;
    const responseTopic = `${RESPONSE_PREFIX}${message.topic.slice(REQUEST_PREFIX.length)}`;
    let request: Decoded;
    let method: KernelMethod | undefined;
    try {
      request = decode(body);
      method = this.methods.get(request.method);
      if (method === undefined) {
        throw new AstridError(
          'invalid-input',
          `unknown kernel request method ${JSON.stringify(request.method)} (known: ${this.methodNames.join(', ')})`,
        );
      }
    } catch (e) {
      this.answerError(responseTopic, e);
      return;
    }
    if (
      method.ratePerMinute !== null &&
      !this.limiter.allow(method.name, method.ratePerMinute, Date.now())
    ) {
      this.answerError(
        responseTopic,
        new AstridError(
          'rate-limited',
          `Rate limited: max ${method.ratePerMinute} ${method.name} requests per minute`,
        ),
      );
      return;
    }
    const who = resolveCaller(message);
    const base = {
      method: method.name,
      requiredCapability: method.capability,
      targetPrincipal: null,
      params: null,
    };
    if (!who.ok) {
      const entry = this.auditor.recordOrLog(
        {
          ...base,
          caller: null,
          authorization: { type: 'denied', reason: who.error.message },
          error: who.error.message,
        },
        false,
      );
      this.answerError(responseTopic, who.error);
      if (entry !== null) this.auditor.publish(entry);
      return;
    }
    const caller: PrincipalId = who.value;
    let profile = null;
    try {
      profile = this.state.profileCache.resolveSync(caller);
    } catch (e) {
      this.logger.warn(
        { principal: caller, err: (e as Error).message },
        'caller profile unreadable; denying',
      );
    }
    const auth = authorizeRequest(caller, profile, this.state.groups.current(), method.capability);
    if (!auth.allowed) {
      this.logger.warn(
        { security_event: true, principal: caller, method: method.name, reason: auth.reason },
        'kernel request denied',
      );
      const entry = this.auditor.recordOrLog(
        {
          ...base,
          caller,
          authorization: { type: 'denied', reason: auth.reason },
          error: auth.reason,
        },
        true,
      );
      this.answerError(responseTopic, new AstridError('capability-denied', auth.reason));
      if (entry !== null) this.auditor.publish(entry);
      return;
    }
    const authorization = { type: 'system' as const, reason: auth.reason };
    let result: KernelBody;
    try {
      result = await method.handle(request.params, caller);
    } catch (e) {
      const text = isAstridError(e) ? e.message : 'internal error (see the daemon log)';
      if (!isAstridError(e))
        this.logger.error(
          { err: e instanceof Error ? e.stack : String(e), method: method.name },
          'kernel request failed',
        );
      const entry = this.auditor.recordOrLog(
        { ...base, caller, authorization, error: text },
        method.mutating,
      );
      this.answerError(responseTopic, e);
      if (entry !== null) this.auditor.publish(entry);
      return;
    }
    const entry = this.auditor.recordOrLog(
      { ...base, caller, authorization, error: null },
      method.mutating,
    );
    this.answer(responseTopic, { status: result.status, data: result.data });
    if (entry !== null) this.auditor.publish(entry);
    method.after?.();
  }

  private answerError(topic: string, e: unknown): void {
    const code = isAstridError(e) ? e.code : 'internal';
    const text = isAstridError(e) ? e.message : 'internal error (see the daemon log)';
    this.answer(topic, { status: 'Error', data: text, code });
  }

  private answer(topic: string, response: JsonObject): void {
    this.bus.publish(
      ipcEvent(
        ipcMessage({ topic, payload: rawJson(response), sourceId: this.sessionId }),
        'kernel_router',
        this.sessionId,
      ),
    );
  }
}
