import { describe, expect, it } from 'vitest';
import { defaultArchiveName, orderArchiveEntries } from './archive-order.js';

describe('orderArchiveEntries', () => {
  it('puts Capsule.toml first, then the components, then the rest, then wit/', () => {
    expect(
      orderArchiveEntries(
        [
          'wit/world.wit',
          'README.md',
          'Capsule.toml',
          'bin/demo.wasm',
          'assets/a.txt',
          'wit/deps/x.wit',
        ],
        ['./bin/demo.wasm'],
      ),
    ).toEqual([
      'Capsule.toml',
      'bin/demo.wasm',
      'README.md',
      'assets/a.txt',
      'wit/deps/x.wit',
      'wit/world.wit',
    ]);
  });

  it('includes a component even when the walk skipped its directory, once', () => {
    expect(orderArchiveEntries(['Capsule.toml'], ['target/x.wasm', 'target/x.wasm'])).toEqual([
      'Capsule.toml',
      'target/x.wasm',
    ]);
  });

  it('names archives name-version.capsule', () => {
    expect(defaultArchiveName('demo', '1.2.0')).toBe('demo-1.2.0.capsule');
  });
});
