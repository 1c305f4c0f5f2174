import { AstridError, invalidInput } from '../core/errors.js';
import { isJsonObject, type Json, type JsonObject } from './json.js';

/**
 * The payload of an IPC message, tagged by `type` (snake_case). Field names are
 * the wire names: payloads are the contract capsules and socket clients see,
 * so they keep one shape end to end.
 */

export type FieldType = 'Text' | 'Secret' | 'Array' | { Enum: string[] };

export interface OnboardingField {
  key: string;
  prompt: string;
  description?: string;
  field_type: FieldType;
  default?: string;
  placeholder?: string;
}

export interface SelectionOption {
  id: string;
  label: string;
  description?: string;
}

export interface ToolCallResultBody {
  call_id: string;
  content: string;
  is_error: boolean;
}

export type IpcPayload =
  | { type: 'raw_json'; value: JsonObject }
  | { type: 'user_input'; text: string; session_id: string; context?: Json }
  | { type: 'agent_response'; text: string; is_final: boolean; session_id: string }
  | {
      type: 'approval_required';
      request_id: string;
      action: string;
      resource: string;
      reason: string;
    }
  | { type: 'approval_response'; request_id: string; decision: string; reason?: string }
  | { type: 'onboarding_required'; capsule_id: string; fields: OnboardingField[] }
  | {
      type: 'llm_request';
      request_id: string;
      model: string;
      messages: Json[];
      tools: Json[];
      system: string;
    }
  | { type: 'llm_stream_event'; request_id: string; event: Json }
  | { type: 'llm_response'; request_id: string; response: JsonObject }
  | { type: 'tool_execute_request'; call_id: string; tool_name: string; arguments: Json }
  | { type: 'tool_execute_result'; call_id: string; result: ToolCallResultBody }
  | { type: 'tool_cancel_request'; call_ids: string[] }
  | {
      type: 'selection_required';
      request_id: string;
      title: string;
      options: SelectionOption[];
      callback_topic: string;
    }
  | { type: 'elicit_request'; request_id: string; capsule_id: string; field: OnboardingField }
  | { type: 'elicit_response'; request_id: string; value?: string; values?: string[] }
  | { type: 'connect' }
  | { type: 'disconnect'; reason?: string }
  | { type: 'custom'; data: Json }
  | { type: 'unknown' };

export type IpcPayloadType = IpcPayload['type'];

/** The 18 tags a publisher may use; `unknown` only ever comes from decoding. */
export const KNOWN_PAYLOAD_TAGS: readonly IpcPayloadType[] = [
  'raw_json',
  'user_input',
  'agent_response',
  'approval_required',
  'approval_response',
  'onboarding_required',
  'llm_request',
  'llm_stream_event',
  'llm_response',
  'tool_execute_request',
  'tool_execute_result',
  'tool_cancel_request',
  'selection_required',
  'elicit_request',
  'elicit_response',
  'connect',
  'disconnect',
  'custom',
];
const KNOWN = new Set<string>(KNOWN_PAYLOAD_TAGS);

// ---------------------------------------------------------------- decoding --

class DecodeError extends Error {}

function fail(message: string): never {
  throw new DecodeError(message);
}

function str(o: JsonObject, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(`${key} must be a string`);
  return v;
}

function optStr(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(`${key} must be a string`);
  return v;
}

function bool(o: JsonObject, key: string, fallback?: boolean): boolean {
  const v = o[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'boolean') fail(`${key} must be a boolean`);
  return v;
}

function present(o: JsonObject, key: string): Json {
  const v = o[key];
  if (v === undefined) fail(`${key} is required`);
  return v;
}

function arr(o: JsonObject, key: string): Json[] {
  const v = o[key];
  if (!Array.isArray(v)) fail(`${key} must be an array`);
  return v;
}

function obj(v: Json | undefined, what: string): JsonObject {
  if (!isJsonObject(v)) fail(`${what} must be an object`);
  return v;
}

const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

function uuid(o: JsonObject, key: string): string {
  const v = str(o, key);
  if (!UUID.test(v)) fail(`${key} must be a UUID`);
  return v.length === 32
    ? `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20)}`.toLowerCase()
    : v.toLowerCase();
}

function fieldType(v: Json | undefined): FieldType {
  if (v === 'Text' || v === 'Secret' || v === 'Array') return v;
  if (isJsonObject(v) && Object.keys(v).length === 1 && Array.isArray(v.Enum)) {
    const choices = v.Enum;
    if (!choices.every((c) => typeof c === 'string')) fail('field_type.Enum must list strings');
    return { Enum: choices as string[] };
  }
  return fail('field_type must be "Text", "Secret", "Array" or {"Enum": [...]}');
}

function onboardingField(v: Json | undefined): OnboardingField {
  const o = obj(v, 'field');
  const out: OnboardingField = {
    key: str(o, 'key'),
    prompt: str(o, 'prompt'),
    field_type: fieldType(o.field_type),
  };
  const description = optStr(o, 'description');
  if (description !== undefined) out.description = description;
  const def = optStr(o, 'default');
  if (def !== undefined) out.default = def;
  const placeholder = optStr(o, 'placeholder');
  if (placeholder !== undefined) out.placeholder = placeholder;
  return out;
}

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);
const STOP_REASONS = new Set(['EndTurn', 'MaxTokens', 'ToolUse', 'StopSequence']);

function llmMessage(v: Json): Json {
  const o = obj(v, 'message');
  if (typeof o.role !== 'string' || !ROLES.has(o.role))
    fail('message role must be system, user, assistant or tool');
  if (o.content === undefined) fail('message content is required');
  return { role: o.role, content: o.content };
}

function llmTool(v: Json): Json {
  const o = obj(v, 'tool');
  const out: JsonObject = { name: str(o, 'name'), input_schema: present(o, 'input_schema') };
  const description = optStr(o, 'description');
  if (description !== undefined) out.description = description;
  return out;
}

function streamEvent(v: Json | undefined): Json {
  if (v === 'Done') return v;
  const o = obj(v, 'event');
  const keys = Object.keys(o);
  if (keys.length !== 1) fail('event must have exactly one variant key');
  const [kind] = keys as [string];
  const inner = o[kind];
  switch (kind) {
    case 'TextDelta':
    case 'ReasoningDelta':
    case 'Error':
      if (typeof inner !== 'string') fail(`${kind} must carry a string`);
      return { [kind]: inner };
    case 'ToolCallStart': {
      const i = obj(inner, kind);
      return { ToolCallStart: { id: str(i, 'id'), name: str(i, 'name') } };
    }
    case 'ToolCallDelta': {
      const i = obj(inner, kind);
      return { ToolCallDelta: { id: str(i, 'id'), args_delta: str(i, 'args_delta') } };
    }
    case 'ToolCallEnd': {
      const i = obj(inner, kind);
      return { ToolCallEnd: { id: str(i, 'id') } };
    }
    case 'Usage':
      return { Usage: obj(inner, kind) };
    default:
      return fail(`unknown stream event ${JSON.stringify(kind)}`);
  }
}

function count(o: JsonObject, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    fail(`${key} must be a non-negative integer`);
  return v;
}

function llmResponse(v: Json | undefined): JsonObject {
  const o = obj(v, 'response');
  const stop = str(o, 'stop_reason');
  if (!STOP_REASONS.has(stop))
    fail('stop_reason must be EndTurn, MaxTokens, ToolUse or StopSequence');
  const usage = obj(o.usage, 'usage');
  return {
    message: llmMessage(present(o, 'message')),
    has_tool_calls: bool(o, 'has_tool_calls'),
    stop_reason: stop,
    usage: {
      input_tokens: count(usage, 'input_tokens'),
      output_tokens: count(usage, 'output_tokens'),
    },
  };
}

function decodeKnown(tag: IpcPayloadType, o: JsonObject): IpcPayload {
  switch (tag) {
    case 'raw_json': {
      const { type: _tag, ...rest } = o;
      return { type: 'raw_json', value: rest };
    }
    case 'user_input': {
      const p: IpcPayload = {
        type: 'user_input',
        text: str(o, 'text'),
        session_id: optStr(o, 'session_id') ?? 'default',
      };
      if (o.context !== undefined && o.context !== null) p.context = o.context;
      return p;
    }
    case 'agent_response':
      return {
        type: 'agent_response',
        text: str(o, 'text'),
        is_final: bool(o, 'is_final'),
        session_id: optStr(o, 'session_id') ?? 'default',
      };
    case 'approval_required':
      return {
        type: 'approval_required',
        request_id: str(o, 'request_id'),
        action: str(o, 'action'),
        resource: str(o, 'resource'),
        reason: str(o, 'reason'),
      };
    case 'approval_response': {
      const p: IpcPayload = {
        type: 'approval_response',
        request_id: str(o, 'request_id'),
        decision: str(o, 'decision'),
      };
      const reason = optStr(o, 'reason');
      if (reason !== undefined) p.reason = reason;
      return p;
    }
    case 'onboarding_required':
      return {
        type: 'onboarding_required',
        capsule_id: str(o, 'capsule_id'),
        fields: arr(o, 'fields').map(onboardingField),
      };
    case 'llm_request':
      return {
        type: 'llm_request',
        request_id: uuid(o, 'request_id'),
        model: str(o, 'model'),
        messages: arr(o, 'messages').map(llmMessage),
        tools: arr(o, 'tools').map(llmTool),
        system: str(o, 'system'),
      };
    case 'llm_stream_event':
      return {
        type: 'llm_stream_event',
        request_id: uuid(o, 'request_id'),
        event: streamEvent(o.event),
      };
    case 'llm_response':
      return {
        type: 'llm_response',
        request_id: uuid(o, 'request_id'),
        response: llmResponse(o.response),
      };
    case 'tool_execute_request':
      return {
        type: 'tool_execute_request',
        call_id: str(o, 'call_id'),
        tool_name: str(o, 'tool_name'),
        arguments: present(o, 'arguments'),
      };
    case 'tool_execute_result': {
      const r = obj(o.result, 'result');
      return {
        type: 'tool_execute_result',
        call_id: str(o, 'call_id'),
        result: {
          call_id: str(r, 'call_id'),
          content: str(r, 'content'),
          is_error: bool(r, 'is_error', false),
        },
      };
    }
    case 'tool_cancel_request': {
      const ids = arr(o, 'call_ids');
      if (!ids.every((i) => typeof i === 'string')) fail('call_ids must be strings');
      return { type: 'tool_cancel_request', call_ids: ids as string[] };
    }
    case 'selection_required':
      return {
        type: 'selection_required',
        request_id: str(o, 'request_id'),
        title: str(o, 'title'),
        options: arr(o, 'options').map((v) => {
          const opt = obj(v, 'option');
          const out: SelectionOption = { id: str(opt, 'id'), label: str(opt, 'label') };
          const description = optStr(opt, 'description');
          if (description !== undefined) out.description = description;
          return out;
        }),
        callback_topic: str(o, 'callback_topic'),
      };
    case 'elicit_request':
      return {
        type: 'elicit_request',
        request_id: uuid(o, 'request_id'),
        capsule_id: str(o, 'capsule_id'),
        field: onboardingField(o.field),
      };
    case 'elicit_response': {
      const p: IpcPayload = { type: 'elicit_response', request_id: uuid(o, 'request_id') };
      const value = optStr(o, 'value');
      if (value !== undefined) p.value = value;
      if (o.values !== undefined && o.values !== null) {
        const values = arr(o, 'values');
        if (!values.every((v) => typeof v === 'string')) fail('values must be strings');
        p.values = values as string[];
      }
      return p;
    }
    case 'connect':
      return { type: 'connect' };
    case 'disconnect': {
      const reason = optStr(o, 'reason');
      return reason === undefined ? { type: 'disconnect' } : { type: 'disconnect', reason };
    }
    case 'custom':
      return { type: 'custom', data: present(o, 'data') };
    case 'unknown':
      return { type: 'unknown' };
  }
}

/**
 * Decodes a wire-form payload (what arrives in an `IpcMessage` on the socket).
 * An unrecognised tag decodes as `unknown`; a known tag with a bad shape is an
 * `invalid-input` error naming the field.
 */
export function decodePayload(value: unknown): IpcPayload {
  if (!isJsonObject(value)) throw invalidInput('payload must be a JSON object with a "type" tag');
  const tag = value.type;
  if (typeof tag !== 'string') throw invalidInput('payload is missing its "type" tag');
  if (!KNOWN.has(tag)) return { type: 'unknown' };
  try {
    return decodeKnown(tag as IpcPayloadType, value);
  } catch (e) {
    if (e instanceof DecodeError) throw invalidInput(`invalid ${tag} payload: ${e.message}`);
    throw e;
  }
}

/**
 * How a guest's published JSON becomes a payload: a known tag decodes strictly
 * and falls back to `custom{data: v}` when the shape is wrong; any other or
 * missing tag (including `unknown`) becomes `custom{data: v}`. Case-sensitive.
 */
export function payloadFromJsonValue(value: Json): IpcPayload {
  if (isJsonObject(value) && typeof value.type === 'string' && KNOWN.has(value.type)) {
    try {
      return decodeKnown(value.type as IpcPayloadType, value);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
    }
  }
  return { type: 'custom', data: value };
}

// ---------------------------------------------------------------- encoding --

/**
 * The wire form of a payload. `raw_json` merges its tag into the wrapped
 * object (`{"type":"raw_json", ...inner}`); an inner object that has its own
 * `type` key cannot be represented and is refused.
 */
export function encodePayload(payload: IpcPayload): JsonObject {
  if (payload.type === 'raw_json') {
    if ('type' in payload.value) {
      throw new AstridError('invalid-input', 'a raw_json payload cannot carry its own "type" key');
    }
    return { type: 'raw_json', ...payload.value };
  }
  return payload as unknown as JsonObject;
}

/**
 * What guests and socket clients receive as the payload body: `custom` and
 * `raw_json` deliver only their inner data; every other variant is fully
 * tagged.
 */
export function guestJsonValue(payload: IpcPayload): Json {
  if (payload.type === 'custom') return payload.data;
  if (payload.type === 'raw_json') return rawJsonBody(payload) ?? payload.value;
  return encodePayload(payload);
}

export function rawJson(value: JsonObject): IpcPayload {
  if ('type' in value)
    throw new AstridError('invalid-input', 'a raw_json payload cannot carry its own "type" key');
  return { type: 'raw_json', value };
}

/**
 * The body of a `raw_json` payload, unwrapping the legacy
 * `{"type":"raw_json","value":X}` shape older clients send.
 */
export function rawJsonBody(payload: IpcPayload): Json | undefined {
  if (payload.type !== 'raw_json') return undefined;
  const keys = Object.keys(payload.value);
  if (keys.length === 1 && keys[0] === 'value') return payload.value.value;
  return payload.value;
}
