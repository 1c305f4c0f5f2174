import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { silentLogger } from '../../core/logger.js';
import { CapsuleWatcher } from './capsule-watcher.js';
import { isIgnoredPath, sourceHash } from './source-hash.js';

describe('source hash', () => {
  it('changes with content and paths, ignores .wasm and ignored directories', async () => {
    const dir = await tempDir();
    writeFileSync(join(dir, 'Capsule.toml'), 'a');
    const h1 = await sourceHash(dir);
    writeFileSync(join(dir, 'x.wasm'), 'binary');
    mkdirSync(join(dir, 'node_modules'));
    writeFileSync(join(dir, 'node_modules', 'm.js'), 'x');
    expect(await sourceHash(dir)).toBe(h1);
    writeFileSync(join(dir, 'Capsule.toml'), 'b');
    expect(await sourceHash(dir)).not.toBe(h1);
    expect(isIgnoredPath('a/.git/config')).toBe(true);
    expect(isIgnoredPath('src/main.ts')).toBe(false);
  });
});

describe('CapsuleWatcher', () => {
  it('reports a changed capsule directory once per debounced burst, and not for unchanged content', async () => {
    const root = await tempDir();
    const dir = join(root, 'weather');
    mkdirSync(join(dir, 'docs'), { recursive: true });
    writeFileSync(join(dir, 'Capsule.toml'), 'v1');
    const changed: string[] = [];
    const w = new CapsuleWatcher((d) => changed.push(d), silentLogger, 100);
    await w.remember(dir);
    w.watch(root);
    await new Promise((r) => setTimeout(r, 100));
    writeFileSync(join(dir, 'docs', 'a.md'), 'one');
    writeFileSync(join(dir, 'docs', 'a.md'), 'two');
    writeFileSync(join(dir, 'Capsule.toml'), 'v2');
    await new Promise((r) => setTimeout(r, 600));
    expect(changed).toEqual([dir]);
    writeFileSync(join(dir, 'Capsule.toml'), 'v2');
    await new Promise((r) => setTimeout(r, 400));
    expect(changed).toEqual([dir]);
    w.close();
  });
});
