import { describe, expect, it } from 'vitest';
import { emitEnvelope, hookName } from './emit-envelope.js';

describe('emit envelope', () => {
  it('names the hook after the last topic segment', () => {
    expect(hookName('claude.hooks.pre_tool_use')).toBe('pre_tool_use');
    expect(hookName('single')).toBe('single');
  });

  it('has exactly the six fields, stdin as text', () => {
    const body = emitEnvelope('h.stop', '{"x":1}\n', {
      principalId: 'alice',
      sessionId: 's-1',
      token: 'tok',
    });
    expect(body).toEqual({
      hook: 'stop',
      payload: '{"x":1}\n',
      correlation_id: null,
      principal_id: 'alice',
      session_id: 's-1',
      token: 'tok',
    });
    expect(Object.keys(body)).toHaveLength(6);
  });
});
