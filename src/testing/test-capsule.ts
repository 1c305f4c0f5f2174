import { randomUUID } from 'node:crypto';
import type { LoadedCapsule } from '../capsule/registry/loaded-capsule.js';
import { AstridError } from '../core/errors.js';
import { type PrincipalId, parsePrincipalId } from '../core/ids/principal-id.js';
import { checkPublishTopic } from '../core/topics/topic-syntax.js';
import { ipcEvent } from '../events/astrid-event.js';
import { ipcMessage } from '../events/ipc-message.js';
import { payloadFromJsonValue } from '../events/ipc-payload.js';
import type { Json, JsonObject } from '../events/json.js';
import { type BusRecorder, type RecordedMessage, topicFilter } from './bus-recorder.js';
import { type CapsuleKv, capsuleKv } from './capsule-kv.js';
import { type CapsuleLogLine, capsuleLogs } from './capsule-logs.js';
import type { Invocation, InvocationTracker } from './invocation-tracker.js';
import type { TestKernel } from './test-kernel.js';
import {
  readDescribe,
  readToolResult,
  TOOL_DESCRIBE_REQUEST_TOPIC,
  TOOL_DESCRIBE_RESPONSE_TOPIC,
  type ToolDescriptor,
  type ToolResult,
  toolExecuteTopic,
  toolRequest,
  toolResultTopic,
} from './tool-protocol.js';

/** A message the capsule published. */
export interface PublishedMessage {
  readonly topic: string;
  /** The payload as JSON (what a subscriber receives). */
  readonly payload: Json;
  /** The principal the capsule acted for (the one whose event it was handling). */
  readonly principal: string | null;
}

export interface PublishOptions {
  /** Who publishes (default: the host's principal, `default` unless set at load). */
  readonly principal?: string;
}

export interface WaitOptions {
  /** How long to wait (default: the host's timeout, 5 s unless set at load). */
  readonly timeoutMs?: number;
}

export interface ToolCallOptions extends PublishOptions, WaitOptions {}

/** What the dispatcher did with a published event (and with whatever the capsule published in turn). */
export interface DispatchReport {
  readonly invocations: readonly Invocation[];
}

/** What the capsule's build produced. */
export interface BuiltComponent {
  readonly componentPath: string;
  readonly componentBytes: number;
  /** The component came from the build cache (`.astrid/build-cache/`). */
  readonly cached: boolean;
}

export interface TestCapsuleInit {
  readonly kernel: TestKernel;
  readonly recorder: BusRecorder;
  readonly tracker: InvocationTracker;
  readonly capsule: LoadedCapsule;
  readonly build: BuiltComponent;
  readonly principal: PrincipalId;
  readonly timeoutMs: number;
}

function principalOf(value: string | undefined, fallback: PrincipalId): PrincipalId {
  return value === undefined ? fallback : parsePrincipalId(value);
}

function describeFailures(failed: readonly Invocation[]): string {
  return failed
    .map((i) => `interceptor ${i.action} of capsule ${i.capsule} failed: ${i.reason ?? 'unknown'}`)
    .join('\n');
}

/**
 * A capsule running under the real engine, in this process: publish events
 * to it as the daemon would deliver them, and look at what it published,
 * answered and stored.
 */
export class TestCapsule {
  readonly name: string;
  readonly version: string;
  readonly build: BuiltComponent;
  private readonly kernel: TestKernel;
  private readonly recorder: BusRecorder;
  private readonly tracker: InvocationTracker;
  private readonly capsule: LoadedCapsule;
  private readonly principal: PrincipalId;
  private readonly timeoutMs: number;
  /** The source id of everything the test publishes (one client session). */
  private readonly sourceId = randomUUID();
  private publishedFrom = 0;
  private closed = false;

  constructor(init: TestCapsuleInit) {
    this.kernel = init.kernel;
    this.recorder = init.recorder;
    this.tracker = init.tracker;
    this.capsule = init.capsule;
    this.build = init.build;
    this.principal = init.principal;
    this.timeoutMs = init.timeoutMs;
    this.name = init.capsule.id;
    this.version = init.capsule.manifest.package.version;
  }

  private fromCapsule(pattern?: string): (m: RecordedMessage) => boolean {
    const topic = topicFilter(pattern);
    const source = this.capsule.sessionUuid;
    return (m) => m.sourceId === source && topic(m);
  }

  private open(): void {
    if (this.closed) throw new AstridError('unavailable', `capsule ${this.name} was closed`);
  }

  /**
   * Publishes `payload` on `topic` for a principal and waits until the
   * dispatcher has run every interceptor it triggered — including those
   * triggered by what the capsule published in turn. Rejects when an
   * interceptor call failed (a trap, a timeout), which the daemon would only log.
   */
  async publish(
    topic: string,
    payload: Json,
    options: PublishOptions = {},
  ): Promise<DispatchReport> {
    this.open();
    const checked = checkPublishTopic(topic);
    if (!checked.ok) throw checked.error;
    const principal = principalOf(options.principal, this.principal);
    const from = this.tracker.count;
    this.kernel.bus.publish(
      ipcEvent(
        ipcMessage({
          topic,
          payload: payloadFromJsonValue(payload),
          sourceId: this.sourceId,
          principal,
        }),
        'test',
      ),
    );
    await this.tracker.settle();
    const invocations = this.tracker.since(from);
    const failed = invocations.filter((i) => i.outcome === 'error');
    if (failed.length > 0) throw new Error(describeFailures(failed));
    return { invocations };
  }

  /**
   * Messages the capsule published since it was loaded (or since
   * `clearPublished()`), optionally only those whose topic matches
   * `pattern` (`*` = one segment; a trailing `.*` = one or more).
   */
  published(pattern?: string): PublishedMessage[] {
    return this.recorder
      .list(this.fromCapsule(pattern), this.publishedFrom)
      .map((m) => ({ topic: m.topic, payload: m.payload, principal: m.principal }));
  }

  /** Forgets what the capsule published so far (for `published` and `waitFor`). */
  clearPublished(): void {
    this.publishedFrom = this.recorder.count;
  }

  /**
   * The first message matching `pattern` the capsule published (already, or
   * within the timeout) since it was loaded or since `clearPublished()`.
   */
  async waitFor(pattern: string, options: WaitOptions = {}): Promise<PublishedMessage> {
    this.open();
    const m = await this.recorder.waitFor(this.fromCapsule(pattern), {
      from: this.publishedFrom,
      timeoutMs: options.timeoutMs ?? this.timeoutMs,
      what: `message from capsule ${this.name} on ${pattern}`,
    });
    return { topic: m.topic, payload: m.payload, principal: m.principal };
  }

  private async answer<T>(
    request: () => Promise<DispatchReport>,
    read: (m: RecordedMessage) => T | null,
    topic: string,
    what: string,
    hint: string,
    timeoutMs: number,
  ): Promise<T> {
    const from = this.recorder.count;
    const report = await request();
    const filter = (m: RecordedMessage) => this.fromCapsule(topic)(m) && read(m) !== null;
    const seen = this.recorder.list(filter, from)[0];
    if (seen !== undefined) return read(seen) as T;
    // A capsule that handles events in its own run loop answers later; an
    // interceptor capsule has answered by now or never will.
    if (!this.capsule.isRunLoop) {
      const reason =
        report.invocations.length === 0
          ? `nothing in capsule ${this.name} handled it; ${hint}`
          : `capsule ${this.name} handled it but published no answer on ${topic}`;
      throw new AstridError('not-found', `no ${what}: ${reason}`);
    }
    const m = await this.recorder.waitFor(filter, {
      from,
      timeoutMs,
      what: `${what} from capsule ${this.name} (${hint})`,
    });
    return read(m) as T;
  }

  /**
   * Calls one of the capsule's tools the way an agent does (a
   * `tool_execute_request` on `tool.v1.execute.<name>`) and returns its result.
   */
  async callTool(
    name: string,
    args: JsonObject = {},
    options: ToolCallOptions = {},
  ): Promise<ToolResult> {
    const callId = randomUUID();
    const topic = toolExecuteTopic(name);
    const resultTopic = toolResultTopic(name);
    return this.answer(
      () => this.publish(topic, toolRequest(name, args, callId), options),
      (m) => {
        const r = readToolResult(m.payload);
        return r !== null && r.callId === callId ? r : null;
      },
      resultTopic,
      `result of tool ${name}`,
      `bind "${topic}" to handler "tool_execute" in [subscribe] and add "${resultTopic}" to [publish] in Capsule.toml`,
      options.timeoutMs ?? this.timeoutMs,
    );
  }

  /** Asks the capsule to describe its tools (`tool.v1.request.describe`) and returns its answer. */
  async describeTools(options: WaitOptions = {}): Promise<ToolDescriptor[]> {
    return this.answer(
      () => this.publish(TOOL_DESCRIBE_REQUEST_TOPIC, {}),
      (m) => readDescribe(m.payload, this.name),
      TOOL_DESCRIBE_RESPONSE_TOPIC,
      'tool descriptions',
      `bind "${TOOL_DESCRIBE_REQUEST_TOPIC}" to handler "tool_describe" in [subscribe] and add "${TOOL_DESCRIBE_RESPONSE_TOPIC}" to [publish] in Capsule.toml`,
      options.timeoutMs ?? this.timeoutMs,
    );
  }

  /** The capsule's key-value store as `principal` (default: the host's principal) sees it. */
  kv(principal?: string): CapsuleKv {
    const p = principalOf(principal, this.principal);
    return capsuleKv(this.kernel.state.kv.scoped(`${p}:capsule:${this.name}`));
  }

  /** What the capsule logged (`log.*`, for every principal), then what the runtime logged about it. */
  logs(): Promise<CapsuleLogLine[]> {
    return capsuleLogs(this.kernel.home, this.name, this.kernel.lines);
  }

  /** Unloads the capsule and removes the temporary home. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.kernel.close();
    await this.recorder.close();
  }
}
