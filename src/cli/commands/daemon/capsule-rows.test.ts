import { describe, expect, it } from 'vitest';
import type { Json } from '../../../events/json.js';
import { parseCapsuleRows, renderCapsuleTable } from './capsule-rows.js';

const verbose: Json = [
  {
    name: 'zeta',
    version: '1.0.0',
    state: 'ready',
    run_loop: true,
    uplink: false,
    instances: 2,
    interceptors: [{ topic: 'a.b', action: 'on_ab', priority: 0 }],
    dir: '/x/zeta',
  },
  { name: 'broken', state: 'failed', reason: 'bad wasm', dir: '/x/broken' },
  {
    name: 'alpha',
    version: '0.2.0',
    state: 'ready',
    run_loop: false,
    uplink: false,
    instances: 0,
    interceptors: [],
    dir: '/x/alpha',
  },
];

describe('parseCapsuleRows', () => {
  it('keeps the real fields, counts interceptors and sorts by capsule', () => {
    expect(parseCapsuleRows(verbose)).toEqual([
      {
        capsule: 'alpha',
        state: 'ready',
        version: '0.2.0',
        instances: 0,
        interceptors: 0,
        run_loop: false,
        uplink: false,
      },
      { capsule: 'broken', state: 'failed', reason: 'bad wasm' },
      {
        capsule: 'zeta',
        state: 'ready',
        version: '1.0.0',
        instances: 2,
        interceptors: 1,
        run_loop: true,
        uplink: false,
      },
    ]);
  });

  it('rejects answers that are not a list of named rows', () => {
    expect(() => parseCapsuleRows({ name: 'x' })).toThrow(/malformed capsule list/);
    expect(() => parseCapsuleRows([{ state: 'ready' }])).toThrow(/without name or state/);
  });
});

describe('renderCapsuleTable', () => {
  it('adds ROLE and REASON only when a row has one, with no filler cells', () => {
    const table = renderCapsuleTable(parseCapsuleRows(verbose));
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^CAPSULE\s+VERSION\s+STATE\s+INSTANCES\s+INTERCEPTORS\s+ROLE\s+REASON$/,
    );
    expect(lines[1]).toMatch(/^alpha\s+0\.2\.0\s+ready\s+0\s+0$/);
    expect(lines[2]).toMatch(/^broken\s+failed\s+bad wasm$/);
    expect(lines[3]).toMatch(/^zeta\s+1\.0\.0\s+ready\s+2\s+1\s+run-loop$/);
    expect(table).not.toContain('—');
  });

  it('has just the five columns for plain ready capsules', () => {
    const table = renderCapsuleTable([
      { capsule: 'a', state: 'ready', version: '1.0.0', instances: 1, interceptors: 0 },
    ]);
    expect(table).toBe(
      'CAPSULE  VERSION  STATE  INSTANCES  INTERCEPTORS\na        1.0.0    ready  1          0\n',
    );
  });
});
