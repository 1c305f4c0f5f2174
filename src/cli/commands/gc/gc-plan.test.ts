import { describe, expect, it } from 'vitest';
import { GC_GRACE_MS, planGc, type StoreEntry } from './gc-plan.js';

const H = (c: string) => c.repeat(64);
const old = 0;
const now = GC_GRACE_MS * 10;

function entry(
  kind: StoreEntry['kind'],
  hash: string | null,
  bytes: number,
  mtimeMs = old,
): StoreEntry {
  const path = {
    wasm: `/h/bin/${hash}.wasm`,
    wit: `/h/wit/${hash}.wit`,
    artifacts: `/h/lib/${hash}`,
    temp: `/h/bin/x.tmp.${bytes}`,
  }[kind];
  return { kind, path, hash, bytes, mtimeMs };
}

describe('planGc', () => {
  it('keeps what any installed meta references (artifacts follow their component)', () => {
    const entries = [
      entry('wasm', H('a'), 100),
      entry('artifacts', H('a'), 50),
      entry('wit', H('b'), 10),
      entry('wasm', H('c'), 300),
      entry('artifacts', H('c'), 70),
      entry('wit', H('d'), 5),
      entry('temp', null, 7),
    ];
    const plan = planGc(
      entries,
      [
        {
          dir: '/c/one',
          meta: {
            version: '1',
            installed_at: '',
            updated_at: '',
            wasm_hash: H('a'),
            wit_files: { 'w.wit': H('b') },
          },
        },
        { dir: '/c/static', meta: { version: '1', installed_at: '', updated_at: '' } },
      ],
      now,
    );
    expect(plan.referenced).toBe(3);
    expect(plan.orphans.map((o) => o.path)).toEqual([
      `/h/bin/${H('c')}.wasm`,
      '/h/bin/x.tmp.7',
      `/h/lib/${H('c')}`,
      `/h/wit/${H('d')}.wit`,
    ]);
    expect(plan.totalBytes).toBe(300 + 70 + 5 + 7);
    expect(plan.unreadable).toEqual([]);
  });

  it('never collects recent entries and reports capsules whose meta cannot be read', () => {
    const plan = planGc(
      [entry('wasm', H('e'), 1, now - 1000)],
      [{ dir: '/c/broken', meta: null }],
      now,
    );
    expect(plan.orphans).toEqual([]);
    expect(plan.recent).toHaveLength(1);
    expect(plan.unreadable).toEqual(['/c/broken']);
  });
});
