import { describe, expect, it } from 'vitest';
import { KEEP_ALIVE_FRAME, parseSseFrames, sseEvent } from './sse-frame.js';

describe('sseEvent', () => {
  it('frames an event as one compact JSON data line', () => {
    expect(sseEvent('ready', { principal: 'alice', firehose: false })).toBe(
      'event: ready\ndata: {"principal":"alice","firehose":false}\n\n',
    );
    expect(sseEvent('delta', { text: 'line one\nline two' })).toBe(
      'event: delta\ndata: {"text":"line one\\nline two"}\n\n',
    );
    expect(sseEvent('audit', undefined)).toBe('event: audit\ndata: null\n\n');
  });

  it('refuses an event name that could break the framing', () => {
    expect(() => sseEvent('a\ndata: x', {})).toThrow(/invalid SSE event name/);
    expect(() => sseEvent('', {})).toThrow(/invalid SSE event name/);
  });

  it('sends the keep-alive as a comment line, not an event', () => {
    expect(KEEP_ALIVE_FRAME).toBe(': keep-alive\n\n');
    expect(parseSseFrames(KEEP_ALIVE_FRAME)).toEqual({
      frames: [{ kind: 'comment', text: 'keep-alive' }],
      rest: '',
    });
  });
});

describe('parseSseFrames', () => {
  it('returns complete frames and keeps a partial one for the next chunk', () => {
    const text = `${sseEvent('ready', { a: 1 })}${KEEP_ALIVE_FRAME}event: audit\ndata: {"b"`;
    const { frames, rest } = parseSseFrames(text);
    expect(frames).toEqual([
      { kind: 'event', event: 'ready', data: '{"a":1}' },
      { kind: 'comment', text: 'keep-alive' },
    ]);
    expect(rest).toBe('event: audit\ndata: {"b"');
    expect(parseSseFrames(`${rest}:2}\n\n`).frames).toEqual([
      { kind: 'event', event: 'audit', data: '{"b":2}' },
    ]);
  });
});
