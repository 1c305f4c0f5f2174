import { describe, expect, it } from 'vitest';
import { AGENT_STREAM_TOPICS, agentStreamStep, promptSessionId } from './agent-session-filter.js';

const OURS = 's-1';

describe('agentStreamStep', () => {
  it('forwards our session and ends on our response', () => {
    expect(
      agentStreamStep(AGENT_STREAM_TOPICS.delta, { session_id: OURS, text: 'he' }, OURS),
    ).toEqual({ event: 'delta', data: { session_id: OURS, text: 'he' }, ends: false });
    expect(
      agentStreamStep(AGENT_STREAM_TOPICS.response, { session_id: OURS, text: 'hello' }, OURS),
    ).toEqual({ event: 'response', data: { session_id: OURS, text: 'hello' }, ends: true });
    expect(
      agentStreamStep(AGENT_STREAM_TOPICS.session_changed, { session_id: OURS }, OURS)?.event,
    ).toBe('session_changed');
  });

  it("drops another session's messages, which never end the stream", () => {
    for (const topic of [
      AGENT_STREAM_TOPICS.response,
      AGENT_STREAM_TOPICS.delta,
      AGENT_STREAM_TOPICS.session_changed,
    ]) {
      expect(agentStreamStep(topic, { session_id: 's-2', text: 'x' }, OURS)).toBeNull();
    }
  });

  it('passes payloads without a string session id', () => {
    expect(agentStreamStep(AGENT_STREAM_TOPICS.response, { text: 'hi' }, OURS)?.ends).toBe(true);
    expect(agentStreamStep(AGENT_STREAM_TOPICS.delta, { session_id: 7 }, OURS)?.event).toBe(
      'delta',
    );
    expect(agentStreamStep(AGENT_STREAM_TOPICS.delta, 'bare', OURS)?.data).toBe('bare');
  });

  it('forwards elicitations unfiltered and keeps the stream open', () => {
    expect(agentStreamStep(AGENT_STREAM_TOPICS.elicit, { session_id: 's-2' }, OURS)).toEqual({
      event: 'elicit',
      data: { session_id: 's-2' },
      ends: false,
    });
  });

  it('keeps the stream open for a response marked non-final', () => {
    expect(
      agentStreamStep(AGENT_STREAM_TOPICS.response, { session_id: OURS, is_final: false }, OURS)
        ?.ends,
    ).toBe(false);
  });

  it('ignores other topics', () => {
    expect(agentStreamStep('user.v1.prompt', { session_id: OURS }, OURS)).toBeNull();
  });
});

describe('promptSessionId', () => {
  it('keeps a given id and mints one for a missing or blank id', () => {
    expect(promptSessionId('abc', () => 'fresh')).toBe('abc');
    expect(promptSessionId(undefined, () => 'fresh')).toBe('fresh');
    expect(promptSessionId('  ', () => 'fresh')).toBe('fresh');
  });
});
