import { describe, expect, it } from 'vitest';
import {
  decodePayload,
  encodePayload,
  guestJsonValue,
  type IpcPayload,
  KNOWN_PAYLOAD_TAGS,
  payloadFromJsonValue,
  rawJson,
  rawJsonBody,
} from './ipc-payload.js';
import type { Json } from './json.js';

const REQ = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';

// One well-formed instance of every variant, in wire form.
const SAMPLES: Record<string, Json> = {
  raw_json: { type: 'raw_json', method: 'GetStatus', params: { a: 1 } },
  user_input: { type: 'user_input', text: 'hi', session_id: 's1', context: { k: 'v' } },
  agent_response: { type: 'agent_response', text: 'hello', is_final: true, session_id: 's1' },
  approval_required: {
    type: 'approval_required',
    request_id: 'r1',
    action: 'exec',
    resource: 'ls',
    reason: 'why',
  },
  approval_response: {
    type: 'approval_response',
    request_id: 'r1',
    decision: 'approve',
    reason: 'ok',
  },
  onboarding_required: {
    type: 'onboarding_required',
    capsule_id: 'weather',
    fields: [
      { key: 'API_KEY', prompt: 'Key?', field_type: 'Secret' },
      {
        key: 'UNITS',
        prompt: 'Units?',
        description: 'd',
        field_type: { Enum: ['c', 'f'] },
        default: 'c',
        placeholder: 'p',
      },
    ],
  },
  llm_request: {
    type: 'llm_request',
    request_id: REQ,
    model: 'm',
    messages: [{ role: 'user', content: 'hi' }],
    tools: [{ name: 't', description: 'd', input_schema: { type: 'object' } }],
    system: 'be nice',
  },
  llm_stream_event: { type: 'llm_stream_event', request_id: REQ, event: { TextDelta: 'he' } },
  llm_response: {
    type: 'llm_response',
    request_id: REQ,
    response: {
      message: { role: 'assistant', content: 'done' },
      has_tool_calls: false,
      stop_reason: 'EndTurn',
      usage: { input_tokens: 3, output_tokens: 4 },
    },
  },
  tool_execute_request: {
    type: 'tool_execute_request',
    call_id: 'c1',
    tool_name: 'read_file',
    arguments: { path: '/x' },
  },
  tool_execute_result: {
    type: 'tool_execute_result',
    call_id: 'c1',
    result: { call_id: 'c1', content: 'data', is_error: false },
  },
  tool_cancel_request: { type: 'tool_cancel_request', call_ids: ['c1', 'c2'] },
  selection_required: {
    type: 'selection_required',
    request_id: 'r',
    title: 'Pick',
    options: [
      { id: 'a', label: 'A', description: 'first' },
      { id: 'b', label: 'B' },
    ],
    callback_topic: 'x.y',
  },
  elicit_request: {
    type: 'elicit_request',
    request_id: REQ,
    capsule_id: 'weather',
    field: { key: 'K', prompt: 'P', field_type: 'Text' },
  },
  elicit_response: { type: 'elicit_response', request_id: REQ, value: 'v' },
  connect: { type: 'connect' },
  disconnect: { type: 'disconnect', reason: 'bye' },
  custom: { type: 'custom', data: { anything: [1, 2] } },
};

describe('IpcPayload wire forms', () => {
  it('covers every known tag', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...KNOWN_PAYLOAD_TAGS].sort());
  });

  it.each(Object.entries(SAMPLES))('%s round-trips', (_tag, wire) => {
    const decoded = decodePayload(wire);
    expect(encodePayload(decoded)).toEqual(wire);
    expect(decodePayload(JSON.parse(JSON.stringify(encodePayload(decoded))))).toEqual(decoded);
  });

  it('raw_json merges its tag into the wrapped object and strips it on decode', () => {
    const p = rawJson({ method: 'GetStatus' });
    expect(encodePayload(p)).toEqual({ type: 'raw_json', method: 'GetStatus' });
    expect(decodePayload({ type: 'raw_json', k: 'v' })).toEqual({
      type: 'raw_json',
      value: { k: 'v' },
    });
  });

  it('refuses a raw_json body that carries its own type key', () => {
    expect(() => rawJson({ type: 'x' })).toThrow(/own "type" key/);
    expect(() => encodePayload({ type: 'raw_json', value: { type: 'x' } })).toThrow(
      /own "type" key/,
    );
  });

  // Regression: a socket client sending the documented {"type":"raw_json","value":X}
  // made interceptors receive {"value": X} instead of X.
  it('guests see the unwrapped body of a value-wrapped raw_json payload', () => {
    expect(guestJsonValue(decodePayload({ type: 'raw_json', value: { msg: 'x' } }))).toEqual({
      msg: 'x',
    });
    expect(guestJsonValue(decodePayload({ type: 'raw_json', msg: 'x' }))).toEqual({ msg: 'x' });
  });

  it('unwraps the legacy {"type":"raw_json","value":X} shape', () => {
    expect(rawJsonBody(decodePayload({ type: 'raw_json', value: [1, 2] }))).toEqual([1, 2]);
    expect(rawJsonBody(decodePayload({ type: 'raw_json', value: 1, other: 2 }))).toEqual({
      value: 1,
      other: 2,
    });
    expect(rawJsonBody({ type: 'connect' })).toBeUndefined();
  });

  it('applies defaults and drops unknown fields of typed payloads', () => {
    expect(decodePayload({ type: 'user_input', text: 'hi' })).toEqual({
      type: 'user_input',
      text: 'hi',
      session_id: 'default',
    });
    expect(decodePayload({ type: 'agent_response', text: 't', is_final: false, extra: 1 })).toEqual(
      {
        type: 'agent_response',
        text: 't',
        is_final: false,
        session_id: 'default',
      },
    );
    const result = decodePayload({
      type: 'tool_execute_result',
      call_id: 'c',
      result: { call_id: 'c', content: 'x' },
    });
    expect(result).toEqual({
      type: 'tool_execute_result',
      call_id: 'c',
      result: { call_id: 'c', content: 'x', is_error: false },
    });
    expect(encodePayload(decodePayload({ type: 'elicit_response', request_id: REQ }))).toEqual({
      type: 'elicit_response',
      request_id: REQ,
    });
    expect(
      encodePayload(decodePayload({ type: 'user_input', text: 'x', session_id: 'a' })),
    ).not.toHaveProperty('context');
  });

  it('decodes every stream event form', () => {
    for (const event of [
      'Done',
      { TextDelta: 'a' },
      { ReasoningDelta: 'r' },
      { Error: 'e' },
      { ToolCallStart: { id: 'i', name: 'n' } },
      { ToolCallDelta: { id: 'i', args_delta: '{' } },
      { ToolCallEnd: { id: 'i' } },
      { Usage: { input_tokens: 1 } },
    ] as Json[]) {
      expect(decodePayload({ type: 'llm_stream_event', request_id: REQ, event })).toEqual({
        type: 'llm_stream_event',
        request_id: REQ,
        event,
      });
    }
  });

  it('decodes an unrecognised tag as unknown, which encodes as {"type":"unknown"}', () => {
    const p = decodePayload({ type: 'future_x', a: 1 });
    expect(p).toEqual({ type: 'unknown' });
    expect(encodePayload(p)).toEqual({ type: 'unknown' });
  });

  it.each([
    [{ type: 'user_input' }, 'invalid user_input payload: text must be a string'],
    [{ type: 'agent_response', text: 'x' }, 'is_final must be a boolean'],
    [
      {
        type: 'llm_request',
        request_id: 'not-a-uuid',
        model: 'm',
        messages: [],
        tools: [],
        system: '',
      },
      'request_id must be a UUID',
    ],
    [
      {
        type: 'onboarding_required',
        capsule_id: 'c',
        fields: [{ key: 'k', prompt: 'p', field_type: 'Password' }],
      },
      'field_type',
    ],
    [{ type: 'custom' }, 'data is required'],
    [{ text: 'no tag' }, 'missing its "type" tag'],
    [[1, 2], 'must be a JSON object'],
  ])('rejects malformed wire payload %j', (wire, why) => {
    expect(() => decodePayload(wire)).toThrow(why);
  });
});

describe('payloadFromJsonValue (guest publishes)', () => {
  it.each<[Json, IpcPayload]>([
    [
      { type: 'my_plugin_msg', foo: 42 },
      { type: 'custom', data: { type: 'my_plugin_msg', foo: 42 } },
    ],
    [
      { type: 'user_input', text: 'hi' },
      { type: 'user_input', text: 'hi', session_id: 'default' },
    ],
    [
      { type: 'user_input', text: 3 },
      { type: 'custom', data: { type: 'user_input', text: 3 } },
    ],
    [{ type: 'unknown' }, { type: 'custom', data: { type: 'unknown' } }],
    [
      { type: 'USER_INPUT', text: 'hi' },
      { type: 'custom', data: { type: 'USER_INPUT', text: 'hi' } },
    ],
    [{ no: 'tag' }, { type: 'custom', data: { no: 'tag' } }],
    [[1, 2, 3], { type: 'custom', data: [1, 2, 3] }],
    ['text', { type: 'custom', data: 'text' }],
    [
      { type: 'raw_json', method: 'GetStatus' },
      { type: 'raw_json', value: { method: 'GetStatus' } },
    ],
    [{ type: 'connect' }, { type: 'connect' }],
  ])('%j → %j', (value, expected) => {
    expect(payloadFromJsonValue(value)).toEqual(expected);
  });
});

describe('guest body', () => {
  it('custom and raw_json deliver only their inner data; other variants stay tagged', () => {
    expect(guestJsonValue(rawJson({ k: 'v' }))).toEqual({ k: 'v' });
    expect(guestJsonValue({ type: 'custom', data: [1] })).toEqual([1]);
    expect(guestJsonValue({ type: 'connect' })).toEqual({ type: 'connect' });
    expect(guestJsonValue({ type: 'disconnect' })).toEqual({ type: 'disconnect' });
  });
});
