import { describe, expect, it } from 'vitest';
import { ipcMessage } from '../../../events/ipc-message.js';
import { formatTailed, tailRecord } from './tail-format.js';

const message = {
  ...ipcMessage({
    topic: 'test.hello',
    payload: { type: 'raw_json', value: { value: { a: 1 } } },
    sourceId: 'src-1',
    principal: 'alice',
    timestampMs: Date.UTC(2025, 0, 1, 12, 0, 0, 250),
  }),
  seq: 7,
};

describe('tail format', () => {
  it('unwraps raw_json and records who published it', () => {
    expect(tailRecord(message)).toEqual({
      timestamp: '2025-01-01T12:00:00.250Z',
      topic: 'test.hello',
      principal: 'alice',
      source_id: 'src-1',
      seq: 7,
      payload: { a: 1 },
    });
  });

  it('prints one line per message in pretty and json, a document in yaml, a table in toml', () => {
    const r = tailRecord(message);
    expect(formatTailed(r, 'pretty')).toBe('2025-01-01T12:00:00.250Z test.hello alice {"a":1}\n');
    expect(formatTailed({ ...r, principal: null }, 'pretty')).toBe(
      '2025-01-01T12:00:00.250Z test.hello - {"a":1}\n',
    );
    const line = formatTailed(r, 'json');
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trimEnd()).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(r);
    expect(formatTailed(r, 'yaml')).toMatch(
      /^---\ntimestamp: "2025-01-01T12:00:00.250Z"\ntopic: test.hello\n/,
    );
    expect(formatTailed(r, 'toml')).toMatch(
      /^\[\[message\]\]\ntimestamp = "2025-01-01T12:00:00.250Z"\n/,
    );
  });
});
