import { describe, expect, it } from 'vitest';
import type { Json } from '../events/json.js';
import {
  readDescribe,
  readToolResult,
  toolExecuteTopic,
  toolRequest,
  toolResultTopic,
} from './tool-protocol.js';

describe('tool protocol', () => {
  it('names the execute and result topics of a tool', () => {
    expect(toolExecuteTopic('fixture_put')).toBe('tool.v1.execute.fixture_put');
    expect(toolResultTopic('fixture_put')).toBe('tool.v1.execute.fixture_put.result');
  });

  it('builds the tool_execute_request an agent publishes', () => {
    expect(toolRequest('t', { a: 1 }, 'c1')).toEqual({
      type: 'tool_execute_request',
      call_id: 'c1',
      tool_name: 't',
      arguments: { a: 1 },
    });
  });

  it('reads a result, parsing JSON content and keeping plain text', () => {
    const json = readToolResult({
      type: 'tool_execute_result',
      call_id: 'c1',
      result: { call_id: 'c1', content: '{"n":2}', is_error: false },
    });
    expect(json).toEqual({ callId: 'c1', content: '{"n":2}', isError: false, value: { n: 2 } });
    const text = readToolResult({
      type: 'tool_execute_result',
      result: { call_id: 'c2', content: 'bad key', is_error: true },
    });
    expect(text).toEqual({ callId: 'c2', content: 'bad key', isError: true, value: 'bad key' });
  });

  it('ignores what is not a tool result', () => {
    expect(readToolResult(null)).toBeNull();
    expect(readToolResult({ type: 'custom', result: { content: 'x' } })).toBeNull();
    expect(readToolResult({ type: 'tool_execute_result', result: { content: 3 } })).toBeNull();
  });

  it("reads one capsule's describe answer and defaults a missing schema", () => {
    const payload: Json = {
      capsule: 'demo',
      tools: [
        { name: 'a', description: 'A', input_schema: { type: 'object', required: ['x'] } },
        { name: 'b' },
        { description: 'no name' },
      ],
    };
    expect(readDescribe(payload, 'demo')).toEqual([
      { name: 'a', description: 'A', inputSchema: { type: 'object', required: ['x'] } },
      { name: 'b', description: '', inputSchema: { type: 'object' } },
    ]);
    expect(readDescribe(payload, 'other')).toBeNull();
    expect(readDescribe({ capsule: 'demo' }, 'demo')).toBeNull();
  });
});
