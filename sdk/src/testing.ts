/**
 * `@astrid/sdk/testing`: run your capsule under the real Astrid engine from
 * your own tests, in the test's process, without a daemon.
 *
 * ```js
 * import { loadCapsule } from '@astrid/sdk/testing';
 * const capsule = await loadCapsule('.');
 * await capsule.publish('demo.v1.hello', { name: 'Ada' });
 * capsule.published('demo.v1.greeting'); // [{ topic, payload, principal }]
 * await capsule.close();
 * ```
 *
 * This module runs in Node, never inside a capsule. The engine itself lives
 * in the `astrid` package (`astrid/testing`); this module finds it and
 * delegates to it.
 */

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type BuildStep =
  | 'manifest'
  | 'typecheck'
  | 'bundle'
  | 'world'
  | 'componentize'
  | 'inspect'
  | 'pack';

export interface LoadCapsuleOptions {
  /** Run `tsc --noEmit` on the project first (default false: the test run or the editor type-checks). */
  readonly typecheck?: boolean;
  /** Who publishes, calls tools and owns the KV view by default (default `default`, the daemon's local user). */
  readonly principal?: string;
  /** How long `waitFor`, a run-loop capsule's answers and its readiness may take (default 5 s). */
  readonly timeoutMs?: number;
  /** Operator values for the capsule's `[env]` keys, as `astrid capsule config` would set them. */
  readonly env?: Readonly<Record<string, string>>;
  /** Build progress (`bundle`, `componentize`, …). */
  readonly onStep?: (step: BuildStep, detail: string) => void;
}

export interface PublishOptions {
  /** Who publishes (default: the host's principal). */
  readonly principal?: string;
}

export interface WaitOptions {
  /** How long to wait (default: the host's timeout). */
  readonly timeoutMs?: number;
}

export interface ToolCallOptions extends PublishOptions, WaitOptions {}

/** One interceptor call the dispatcher made. */
export interface Invocation {
  readonly capsule: string;
  /** The handler name (`handler = "…"` in Capsule.toml). */
  readonly action: string;
  /** What it answered; `error` when the call threw (trap, timeout, refused principal). */
  readonly outcome: 'continue' | 'final' | 'deny' | 'not-supported' | 'error';
  /** The deny reason, or the error message. */
  readonly reason?: string;
}

/** What the dispatcher did with a published event (and with whatever the capsule published in turn). */
export interface DispatchReport {
  readonly invocations: readonly Invocation[];
}

/** A message the capsule published. */
export interface PublishedMessage {
  readonly topic: string;
  /** The payload as JSON (what a subscriber receives). */
  readonly payload: JsonValue;
  /** The principal the capsule acted for. */
  readonly principal: string | null;
}

/** What a tool call returned. */
export interface ToolResult {
  readonly callId: string;
  /** The tool's output as the agent receives it (JSON text unless the tool returned a string). */
  readonly content: string;
  /** The tool threw; `content` is its message. */
  readonly isError: boolean;
  /** `content` parsed as JSON, or the text itself when it is not JSON. */
  readonly value: JsonValue;
}

/** A tool as the capsule describes it to agents. */
export interface ToolDescriptor {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: JsonObject;
}

/** One principal's view of the capsule's key-value store. */
export interface CapsuleKv {
  get(key: string): Uint8Array | undefined;
  getText(key: string): string | undefined;
  /** The value parsed as JSON (a `SyntaxError` when it is not JSON). */
  getJson(key: string): JsonValue | undefined;
  /** Seeds a value before the capsule runs (text is stored as UTF-8). */
  set(key: string, value: Uint8Array | string): void;
  setJson(key: string, value: JsonValue): void;
  delete(key: string): boolean;
  /** Keys starting with `prefix`, sorted. */
  keys(prefix?: string): string[];
}

/** What the capsule's build produced. */
export interface BuiltComponent {
  readonly componentPath: string;
  readonly componentBytes: number;
  /** The component came from the build cache (`.astrid/build-cache/`). */
  readonly cached: boolean;
}

/** A line the capsule logged (`log.*`), or the runtime logged about it. */
export interface CapsuleLogLine {
  readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  /** `capsule`: written by the capsule; `kernel`: the runtime, about the capsule. */
  readonly source: 'capsule' | 'kernel';
  /** The principal the capsule was working for, when known. */
  readonly principal: string | null;
}

/** A capsule running under the real engine in this process. */
export interface TestCapsule {
  readonly name: string;
  readonly version: string;
  readonly build: BuiltComponent;
  /**
   * Publishes `payload` on `topic` and waits until every interceptor it
   * triggered has run (including those triggered by what the capsule
   * published in turn). Rejects when an interceptor call failed.
   */
  publish(topic: string, payload: JsonValue, options?: PublishOptions): Promise<DispatchReport>;
  /** What the capsule published (topics matching `pattern`: `*` = one segment, trailing `.*` = one or more). */
  published(pattern?: string): PublishedMessage[];
  /** Forgets what the capsule published so far. */
  clearPublished(): void;
  /** The first message matching `pattern` the capsule published, waiting for it if needed. */
  waitFor(pattern: string, options?: WaitOptions): Promise<PublishedMessage>;
  /** Calls one of the capsule's tools as an agent does and returns its result. */
  callTool(name: string, args?: JsonObject, options?: ToolCallOptions): Promise<ToolResult>;
  /** The capsule's answer to `tool.v1.request.describe`. */
  describeTools(options?: WaitOptions): Promise<ToolDescriptor[]>;
  /** The capsule's KV store as `principal` (default: the host's principal) sees it. */
  kv(principal?: string): CapsuleKv;
  /** What the capsule logged (for every principal), then what the runtime logged about it. */
  logs(): Promise<CapsuleLogLine[]>;
  /** Unloads the capsule and removes its temporary home. */
  close(): Promise<void>;
}

interface TestHost {
  loadCapsule(dir: string, options?: LoadCapsuleOptions): Promise<TestCapsule>;
}

/** The test host, as a dependency of the project. */
export const HOST_MODULE = 'astrid/testing';
/**
 * The test host relative to this module, inside the `astrid` package that
 * contains this SDK. Needed when the SDK is reached through a `file:` link:
 * Node then loads it from its real path, where `astrid` is not a dependency
 * but the enclosing package.
 */
export const HOST_FROM_SDK = '../../dist/testing/index.js';

function isTestHost(value: unknown): value is TestHost {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { loadCapsule?: unknown }).loadCapsule === 'function'
  );
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

let host: Promise<TestHost> | null = null;

async function importHost(): Promise<TestHost> {
  const failures: string[] = [];
  for (const specifier of [HOST_MODULE, HOST_FROM_SDK]) {
    try {
      const mod: unknown = await import(specifier);
      if (isTestHost(mod)) return mod;
      failures.push(`${specifier}: does not export loadCapsule`);
    } catch (e) {
      failures.push(`${specifier}: ${errorText(e)}`);
    }
  }
  throw new Error(
    `cannot find the Astrid test host; add the astrid package to your devDependencies (from a checkout, run \`npm run build\` in it first).\n  ${failures.join('\n  ')}`,
  );
}

/**
 * Builds the capsule project in `dir` (sharing `astrid build`'s cache) and
 * runs it under the real engine in this process: installed and loaded as
 * the daemon does, its interceptors bound as its Capsule.toml says.
 */
export async function loadCapsule(
  dir: string,
  options: LoadCapsuleOptions = {},
): Promise<TestCapsule> {
  host ??= importHost().catch((e: unknown) => {
    host = null;
    throw e;
  });
  return (await host).loadCapsule(dir, options);
}
