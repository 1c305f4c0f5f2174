import { describe, expect, it } from 'vitest';
import { listRows } from './list-rows.js';

describe('listRows', () => {
  it('merges the daemon rows with installed capsules it does not report', () => {
    const rows = listRows(
      [
        {
          name: 'web',
          version: '1.0.0',
          state: 'ready',
          run_loop: false,
          uplink: false,
          instances: 2,
          interceptors: [{}, {}],
          dir: '/c/web',
        },
        { name: 'broken', state: 'failed', reason: 'bad wasm', dir: '/c/broken' },
      ],
      [
        { id: 'broken', dir: '/c/broken', version: '0.1.0' },
        { id: 'idle', dir: '/c/idle', version: '2.0.0' },
        { id: 'idle', dir: '/w/.astrid/capsules/idle', version: '9.9.9' },
        { id: 'web', dir: '/c/web', version: '1.0.0' },
      ],
    );
    expect(rows).toEqual([
      { name: 'broken', version: '0.1.0', state: 'failed', reason: 'bad wasm', dir: '/c/broken' },
      { name: 'idle', version: '2.0.0', state: 'not loaded', dir: '/c/idle' },
      {
        name: 'web',
        version: '1.0.0',
        state: 'ready',
        dir: '/c/web',
        run_loop: false,
        uplink: false,
        instances: 2,
        interceptors: 2,
      },
    ]);
  });

  it('without a daemon every installed capsule is not loaded', () => {
    expect(listRows(null, [{ id: 'a', dir: '/a', version: null }])).toEqual([
      { name: 'a', version: null, state: 'not loaded', dir: '/a' },
    ]);
  });
});
