import { isAstridError } from '../../../../core/errors.js';
import { checkPrincipalId, type PrincipalId } from '../../../../core/ids/principal-id.js';
import { matchesCompiled, routeMatches } from '../../../../core/topics/route-matcher.js';
import { checkPublishTopic, checkSubscribePattern } from '../../../../core/topics/topic-syntax.js';
import { ipcEvent } from '../../../../events/astrid-event.js';
import { AUDIT_TOPIC } from '../../../../events/audit-topic.js';
import type { RoutedSubscription } from '../../../../events/bus-transport.js';
import { guestPayloadJson, type IpcMessage, ipcMessage } from '../../../../events/ipc-message.js';
import { payloadFromJsonValue } from '../../../../events/ipc-payload.js';
import type { Json } from '../../../../events/json.js';
import { callerFromMessage } from './caller-context.js';
import { type HostFunction, NewResource } from './host-dispatcher.js';
import { HostError } from './host-error.js';
import type { InstanceState } from './instance-state.js';
import { POLLABLE_TYPE, PollableResource } from './readiness.js';

const IPC = 'astrid:ipc/host@1.0.0';
export const SUBSCRIPTION_TYPE = `${IPC}#Subscription`;
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
export const MAX_SUBSCRIPTIONS = 128;
export const MAX_RECV_TIMEOUT_MS = 60_000;
export const DRAIN_BUDGET_BYTES = 1024 * 1024;

/** The host side of a guest subscription. */
export class SubscriptionResource {
  readonly sub: RoutedSubscription;

  constructor(sub: RoutedSubscription) {
    this.sub = sub;
  }

  dispose(): void {
    this.sub.close();
  }
}

function audit(state: InstanceState, fn: string, fields: Record<string, unknown>): void {
  state.host.logger.debug(
    {
      audit: 'astrid.audit.ipc',
      capsule_id: state.host.capsuleId,
      principal: state.effectivePrincipal,
      fn: `${IPC}.${fn}`,
      ...fields,
    },
    'host call',
  );
}

function refuse(
  state: InstanceState,
  fn: string,
  error: HostError,
  fields: Record<string, unknown>,
): never {
  audit(state, fn, { ...fields, error: error.tag });
  throw error;
}

/** Profile throughput for the effective principal; an unusable profile refuses (fail closed). */
async function throughputOf(state: InstanceState, principal: PrincipalId): Promise<number> {
  try {
    return (await state.host.profiles.resolve(principal)).quotas.maxIpcThroughputBytes;
  } catch {
    throw new HostError('capability-denied', `principal '${principal}' has no usable profile`);
  }
}

async function publish(
  state: InstanceState,
  fn: 'publish' | 'publish-as',
  topic: string,
  payload: string,
  claimed: PrincipalId | null,
): Promise<void> {
  const host = state.host;
  const topicCheck = checkPublishTopic(topic);
  if (!topicCheck.ok)
    refuse(state, fn, new HostError('invalid-input', topicCheck.error.message), { topic });
  const segments = topic.split('.');
  if (
    host.publishAcl.length === 0 ||
    !host.publishAcl.some((acl) => matchesCompiled(acl, segments))
  ) {
    refuse(
      state,
      fn,
      new HostError('capability-denied', `topic ${topic} is not covered by [publish]`),
      { topic },
    );
  }
  const payloadBytes = Buffer.byteLength(payload, 'utf8');
  if (payloadBytes > MAX_PAYLOAD_BYTES) {
    refuse(
      state,
      fn,
      new HostError('invalid-input', `payload is ${payloadBytes} bytes; the limit is 1 MiB`),
      { topic },
    );
  }
  let json: Json;
  try {
    json = JSON.parse(payload) as Json;
  } catch {
    refuse(state, fn, new HostError('invalid-input', 'payload is not valid JSON'), { topic });
  }
  const principal = claimed ?? state.effectivePrincipal;
  const size = payloadBytes + Buffer.byteLength(topic, 'utf8');
  try {
    host.ipcRateLimiter.check(
      host.sessionUuid,
      principal,
      size,
      await throughputOf(state, principal),
    );
  } catch (e) {
    if (e instanceof HostError) refuse(state, fn, e, { topic });
    if (isAstridError(e, 'rate-limited') || isAstridError(e, 'too-large')) {
      refuse(state, fn, new HostError('rate-limited', e.message), { topic, bytes: size });
    }
    throw e;
  }
  const message = ipcMessage({
    topic,
    payload: payloadFromJsonValue(json),
    sourceId: host.sessionUuid,
    principal,
    claimed: claimed !== null,
  });
  host.bus.publish(ipcEvent(message, 'wasm_guest', host.sessionUuid));
  audit(state, fn, { topic, bytes: size });
}

/** One message as the guest sees it. */
function toGuest(m: IpcMessage) {
  return {
    topic: m.topic,
    payload: guestPayloadJson(m),
    sourceId: m.sourceId,
    principal:
      m.principal === null
        ? { tag: 'system' }
        : m.claimed
          ? { tag: 'claimed', val: m.principal }
          : { tag: 'verified', val: m.principal },
  };
}

/** A non-empty batch sets the caller context (a run loop working on behalf of its sender). */
function envelope(state: InstanceState, messages: IpcMessage[]) {
  const first = messages[0];
  if (first !== undefined && !state.interceptorActive) state.caller = callerFromMessage(first);
  return { messages: messages.map(toGuest), dropped: 0n, lagged: 0n };
}

function subscriptionOf(self: unknown): SubscriptionResource {
  if (!(self instanceof SubscriptionResource) || self.sub.closed) throw new HostError('closed');
  return self;
}

/** `astrid:ipc/host`. */
export const IPC_HOST: ReadonlyArray<readonly [string, HostFunction]> = [
  [
    `${IPC}#publish`,
    (state, args) => publish(state, 'publish', String(args[0]), String(args[1]), null),
  ],
  [
    `${IPC}#publishAs`,
    (state, args) => {
      const [topic, payload, principal] = args.map(String) as [string, string, string];
      if (!state.host.manifest.capabilities.uplink) {
        refuse(
          state,
          'publish-as',
          new HostError('capability-denied', 'publish-as needs capabilities.uplink = true'),
          { topic },
        );
      }
      const checked = checkPrincipalId(principal);
      if (!checked.ok)
        refuse(state, 'publish-as', new HostError('invalid-input', checked.error.message), {
          topic,
        });
      return publish(state, 'publish-as', topic, payload, checked.value);
    },
  ],
  [
    `${IPC}#subscribe`,
    (state, args) => {
      const host = state.host;
      const pattern = String(args[0]);
      const checked = checkSubscribePattern(pattern);
      if (!checked.ok)
        refuse(state, 'subscribe', new HostError('invalid-input', checked.error.message), {
          topic: pattern,
        });
      const asTopic = pattern.split('.');
      if (!host.subscribeAcl.some((acl) => matchesCompiled(acl, asTopic))) {
        refuse(
          state,
          'subscribe',
          new HostError('capability-denied', `pattern ${pattern} is not covered by [subscribe]`),
          {
            topic: pattern,
          },
        );
      }
      if (state.resources.count(SUBSCRIPTION_TYPE) >= MAX_SUBSCRIPTIONS) {
        refuse(
          state,
          'subscribe',
          new HostError('quota', `at most ${MAX_SUBSCRIPTIONS} subscriptions per instance`),
          {
            topic: pattern,
          },
        );
      }
      // A pattern covering the audit feed sees only the owner's rows unless the
      // owner holds audit:read_all (from its profile, never the manifest).
      let scope: { principal: string } | undefined;
      if (routeMatches(pattern, AUDIT_TOPIC)) {
        if (!host.auditFirehose) scope = { principal: host.owner };
        host.logger.info(
          {
            audit: 'astrid.audit.ipc',
            security_event: true,
            capsule_id: host.capsuleId,
            pattern,
            scope: scope === undefined ? 'firehose' : 'owner',
          },
          'subscription covers the audit feed',
        );
      }
      const sub = host.bus.subscribeRouted({
        capsuleUuid: host.sessionUuid,
        pattern,
        capsuleLabel: host.capsuleId,
        label: 'capsule_guest',
        ...(scope === undefined ? {} : { scope }),
      });
      audit(state, 'subscribe', { topic: pattern });
      return new NewResource(SUBSCRIPTION_TYPE, new SubscriptionResource(sub));
    },
  ],
  [
    `${IPC}#getInterceptorBindings`,
    (state) =>
      state.host.interceptorBindings.map((b) => ({
        handleId: b.handleId,
        action: b.action,
        topic: b.topic,
      })),
  ],
  [
    `${SUBSCRIPTION_TYPE}.poll`,
    (state, _args, self) => {
      const { sub } = subscriptionOf(self);
      const messages = sub.tryDrain(DRAIN_BUDGET_BYTES);
      audit(state, 'subscription.poll', { topic: sub.pattern, messages: messages.length });
      return envelope(state, messages);
    },
  ],
  [
    `${SUBSCRIPTION_TYPE}.recv`,
    async (state, args, self) => {
      const { sub } = subscriptionOf(self);
      state.recvYielded = true;
      const timeout = Math.min(Number(args[0] as bigint), MAX_RECV_TIMEOUT_MS);
      let messages: IpcMessage[];
      try {
        messages = await sub.recvBatch(DRAIN_BUDGET_BYTES, timeout, state.host.cancel);
      } catch {
        throw new HostError('closed', 'the capsule is unloading');
      }
      if (sub.closed) throw new HostError('closed');
      if (messages.length === 0) {
        audit(state, 'subscription.recv', { topic: sub.pattern, messages: 0, error: 'timeout' });
        throw new HostError('timeout');
      }
      audit(state, 'subscription.recv', { topic: sub.pattern, messages: messages.length });
      return envelope(state, messages);
    },
  ],
  [
    `${SUBSCRIPTION_TYPE}.subscribeReadiness`,
    (_state, _args, self) => {
      if (!(self instanceof SubscriptionResource)) throw new HostError('closed');
      const sub = self.sub;
      return new NewResource(
        POLLABLE_TYPE,
        new PollableResource({
          ready: () => sub.closed || sub.queued() > 0,
          wait: (signal) => sub.waitReady(signal),
        }),
      );
    },
  ],
];
