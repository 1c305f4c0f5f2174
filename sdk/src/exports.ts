import {
  type CapsuleDefinition,
  type InterceptEvent,
  TOOL_DESCRIBE_ACTION,
  TOOL_EXECUTE_ACTION,
  type ToolDefinition,
  type Verdict,
} from './capsule.js';
import { publish } from './ipc.js';
import { fromUtf8, type JsonObject, type JsonValue } from './json.js';
import { log } from './log.js';

/** Where tool descriptors are published in answer to `tool.v1.request.describe`. */
export const TOOL_DESCRIBE_RESPONSE_TOPIC = 'tool.v1.response.describe';

/** The topic a tool's result is published on. */
export function toolResultTopic(name: string): string {
  return `tool.v1.execute.${name}.result`;
}

function parsePayload(raw: Uint8Array): JsonValue {
  const text = fromUtf8(raw);
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return null;
  }
}

function isObject(v: JsonValue): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Descriptors of every tool, in name order. */
export function toolDescriptors(
  tools: Readonly<Record<string, ToolDefinition<never>>>,
): JsonObject[] {
  return Object.keys(tools)
    .sort()
    .map((name) => {
      const t = tools[name] as ToolDefinition<never>;
      return {
        name,
        description: t.description,
        input_schema: t.input ?? { type: 'object' },
      };
    });
}

function describeTools(capsule: string, def: CapsuleDefinition): Verdict {
  publish(TOOL_DESCRIBE_RESPONSE_TOPIC, {
    capsule,
    tools: toolDescriptors(def.tools ?? {}),
  });
  return { action: 'continue' };
}

function executeTool(def: CapsuleDefinition, payload: JsonValue): Verdict {
  if (!isObject(payload) || typeof payload.tool_name !== 'string')
    return { action: 'deny', data: 'not a tool_execute_request' };
  const name = payload.tool_name;
  const callId = typeof payload.call_id === 'string' ? payload.call_id : '';
  const tool = def.tools?.[name] as ToolDefinition<JsonObject> | undefined;
  // Another capsule's tool: not ours to answer.
  if (tool === undefined) return { action: 'continue' };
  const args = isObject(payload.arguments ?? null) ? (payload.arguments as JsonObject) : {};
  let content: string;
  let isError = false;
  try {
    const out = tool.run(args, { callId, name });
    content = typeof out === 'string' ? out : JSON.stringify(out ?? null);
  } catch (e) {
    isError = true;
    content = e instanceof Error ? e.message : String(e);
    log.warn(`tool ${name} failed: ${content}`);
  }
  publish(toolResultTopic(name), {
    type: 'tool_execute_result',
    call_id: callId,
    result: { call_id: callId, content, is_error: isError },
  });
  return { action: 'final' };
}

/** `astrid-hook-trigger`: routes an event to the interceptor or tool handler its action names. */
export function hookTrigger(
  capsule: string,
  def: CapsuleDefinition,
): (action: string, payload: Uint8Array) => Verdict {
  return (action, raw) => {
    const payload = parsePayload(raw);
    if (action === TOOL_DESCRIBE_ACTION) return describeTools(capsule, def);
    if (action === TOOL_EXECUTE_ACTION) return executeTool(def, payload);
    const handler = def.interceptors?.[action];
    if (handler === undefined) {
      log.warn(`no interceptor named ${action}; the event passes on`);
      return { action: 'continue' };
    }
    const event: InterceptEvent = { action, payload, raw };
    try {
      return handler(event) ?? { action: 'continue' };
    } catch (e) {
      // The component traps on an uncaught error and its message is lost; log it first.
      log.error(`interceptor ${action} failed: ${describeError(e)}`);
      throw e;
    }
  };
}

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** Wraps a lifecycle function (`run`, `install`, `upgrade`) so an uncaught error is logged before the trap. */
export function guarded(what: string, fn: () => void): () => void {
  return () => {
    try {
      fn();
    } catch (e) {
      log.error(`${what} failed: ${describeError(e)}`);
      throw e;
    }
  };
}
