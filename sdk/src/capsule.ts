import type { JsonObject, JsonValue } from './json.js';

/** What an interceptor tells the kernel: pass on (optionally with a new payload), stop the chain, or refuse. */
export interface Verdict {
  readonly action: 'continue' | 'final' | 'deny';
  /** The replacement payload (continue), or the reason (deny). */
  readonly data?: string;
}

export const verdict = {
  /** Let the event go on to the next interceptor, optionally with a replaced payload. */
  continue(payload?: JsonValue): Verdict {
    return payload === undefined
      ? { action: 'continue' }
      : { action: 'continue', data: JSON.stringify(payload) };
  },
  /** Handled: later interceptors in the chain do not see the event. */
  final(): Verdict {
    return { action: 'final' };
  },
  /** Refuse the event; the reason is logged by the kernel. */
  deny(reason: string): Verdict {
    return { action: 'deny', data: reason };
  },
} as const;

/** One event delivered to an interceptor. */
export interface InterceptEvent {
  /** The handler name this event was bound to in Capsule.toml. */
  readonly action: string;
  /** The message body, parsed (null when it was empty or not JSON). */
  readonly payload: JsonValue;
  /** The message body as received. */
  readonly raw: Uint8Array;
}

export type Interceptor = (event: InterceptEvent) => Verdict | undefined | undefined;

/** A tool: described to agents on `tool.v1.request.describe`, run on `tool.v1.execute.<name>`. */
export interface ToolDefinition<Args extends JsonObject = JsonObject> {
  readonly description: string;
  /** JSON Schema of the arguments object (default: any object). */
  readonly input?: JsonObject;
  readonly run: (args: Args, call: ToolCall) => JsonValue | undefined | undefined;
}

export interface ToolCall {
  readonly callId: string;
  readonly name: string;
}

export interface CapsuleDefinition {
  /** Handlers by the names Capsule.toml binds topics to (`handler = "…"`). */
  readonly interceptors?: Readonly<Record<string, Interceptor>>;
  /** Tools by name (lowercase letters, digits, `_` and `-`). */
  readonly tools?: Readonly<Record<string, ToolDefinition<never>>>;
  /** A long-running loop (subscribe, signal ready, receive). */
  readonly run?: () => void;
  /** The install hook (runs once, at install time). */
  readonly install?: () => void;
  /** The upgrade hook (runs when a new version replaces an installed one). */
  readonly upgrade?: () => void;
}

/** Handler names the SDK binds for tools; Capsule.toml binds the tool topics to them. */
export const TOOL_DESCRIBE_ACTION = 'tool_describe';
export const TOOL_EXECUTE_ACTION = 'tool_execute';
const TOOL_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** A checked, frozen capsule definition; the build generates the guest exports from it. */
export function defineCapsule<const D extends CapsuleDefinition>(definition: D): D {
  const interceptors = definition.interceptors ?? {};
  for (const name of Object.keys(interceptors)) {
    if (name === TOOL_DESCRIBE_ACTION || name === TOOL_EXECUTE_ACTION)
      throw new Error(`interceptor name ${name} is reserved for tools; pick another name`);
    if (typeof interceptors[name] !== 'function')
      throw new Error(`interceptor ${name} must be a function`);
  }
  for (const [name, tool] of Object.entries(definition.tools ?? {})) {
    if (!TOOL_NAME.test(name))
      throw new Error(
        `tool name ${JSON.stringify(name)} must be 1-64 lowercase letters, digits, _ or -`,
      );
    if (typeof tool.run !== 'function') throw new Error(`tool ${name} needs a run function`);
    if (typeof tool.description !== 'string' || tool.description.length === 0)
      throw new Error(`tool ${name} needs a description`);
  }
  for (const hook of ['run', 'install', 'upgrade'] as const) {
    const fn = definition[hook];
    if (fn !== undefined && typeof fn !== 'function') throw new Error(`${hook} must be a function`);
  }
  return Object.freeze({ ...definition });
}

/** The guest exports a definition needs (what the build puts in the WIT world). */
export function exportsNeeded(definition: CapsuleDefinition): {
  hookTrigger: boolean;
  run: boolean;
  install: boolean;
  upgrade: boolean;
} {
  return {
    hookTrigger:
      Object.keys(definition.interceptors ?? {}).length > 0 ||
      Object.keys(definition.tools ?? {}).length > 0,
    run: definition.run !== undefined,
    install: definition.install !== undefined,
    upgrade: definition.upgrade !== undefined,
  };
}
