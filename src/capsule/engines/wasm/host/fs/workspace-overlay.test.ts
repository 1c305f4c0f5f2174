import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../../../test/helpers/temp-dir.js';
import { WorkspaceOverlay } from './workspace-overlay.js';

async function setup() {
  const ws = await tempDir();
  const state = await tempDir();
  mkdirSync(join(ws, 'src'));
  writeFileSync(join(ws, 'src', 'a.txt'), 'A');
  writeFileSync(join(ws, 'src', 'b.txt'), 'B');
  writeFileSync(join(ws, 'README'), 'read me');
  return { ws, state, o: new WorkspaceOverlay(ws, state) };
}

const text = (b: Buffer) => b.toString('utf8');

describe('WorkspaceOverlay', () => {
  it('keeps writes out of the workspace until commit', async () => {
    const { ws, o } = await setup();
    await o.writeFile(['new', 'dir', 'f.txt'], Buffer.from('x'), false).catch(async () => {
      await o.mkdir(['new']);
      await o.mkdir(['new', 'dir']);
      await o.writeFile(['new', 'dir', 'f.txt'], Buffer.from('x'), false);
    });
    await o.writeFile(['src', 'a.txt'], Buffer.from('A2'), false);
    expect(text(await o.readFile(['new', 'dir', 'f.txt']))).toBe('x');
    expect(text(await o.readFile(['src', 'a.txt']))).toBe('A2');
    expect(existsSync(join(ws, 'new'))).toBe(false);
    expect(readFileSync(join(ws, 'src', 'a.txt'), 'utf8')).toBe('A');
    expect(await o.diff()).toEqual([
      { path: 'new', kind: 'added', type: 'directory' },
      { path: 'new/dir', kind: 'added', type: 'directory' },
      { path: 'new/dir/f.txt', kind: 'added', type: 'file' },
      { path: 'src/a.txt', kind: 'modified', type: 'file' },
    ]);
    await o.commit();
    expect(readFileSync(join(ws, 'new', 'dir', 'f.txt'), 'utf8')).toBe('x');
    expect(readFileSync(join(ws, 'src', 'a.txt'), 'utf8')).toBe('A2');
    expect(await o.diff()).toEqual([]);
  });

  it('deletes with whiteouts; discard restores the workspace view', async () => {
    const { ws, o } = await setup();
    await o.unlink(['src', 'a.txt']);
    expect(await o.lstat(['src', 'a.txt'])).toBeNull();
    expect(await o.readdir(['src'])).toEqual(['b.txt']);
    expect(existsSync(join(ws, 'src', 'a.txt'))).toBe(true);
    expect(await o.diff()).toEqual([{ path: 'src/a.txt', kind: 'deleted', type: 'file' }]);
    await o.discard();
    expect(await o.readdir(['src'])).toEqual(['a.txt', 'b.txt']);
  });

  it('a directory removed and re-created hides the old contents (opaque), then commit replaces it', async () => {
    const { ws, state, o } = await setup();
    expect(await o.removeTree(['src'])).toBe(3);
    await o.mkdir(['src']);
    await o.writeFile(['src', 'c.txt'], Buffer.from('C'), false);
    expect(await o.readdir(['src'])).toEqual(['c.txt']);
    expect(await new WorkspaceOverlay(ws, state).readdir(['src'])).toEqual(['c.txt']);
    await o.commit();
    expect(existsSync(join(ws, 'src', 'a.txt'))).toBe(false);
    expect(readFileSync(join(ws, 'src', 'c.txt'), 'utf8')).toBe('C');
  });

  it('renames, appends and opens for writing through copy-up', async () => {
    const { ws, o } = await setup();
    await o.rename(['README'], ['docs.md']);
    expect(await o.lstat(['README'])).toBeNull();
    expect(text(await o.readFile(['docs.md']))).toBe('read me');
    await o.writeFile(['src', 'b.txt'], Buffer.from('+'), true);
    expect(text(await o.readFile(['src', 'b.txt']))).toBe('B+');
    const h = await o.open(['src', 'a.txt'], 'read-write');
    await h.write(Buffer.from('Z'), 0, 1, 0);
    await h.close();
    expect(text(await o.readFile(['src', 'a.txt']))).toBe('Z');
    expect(readFileSync(join(ws, 'src', 'a.txt'), 'utf8')).toBe('A');
    const kinds = (await o.diff()).map((c) => `${c.kind} ${c.path}`);
    expect(kinds).toEqual([
      'deleted README',
      'added docs.md',
      'modified src/a.txt',
      'modified src/b.txt',
    ]);
  });
});
