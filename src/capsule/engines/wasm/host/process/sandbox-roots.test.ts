import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxRoot } from './sandbox-plan.js';
import { type RootInputs, sandboxRoots, visibleIn, writableIn } from './sandbox-roots.js';

function realOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

describe('sandboxRoots on a real directory tree', () => {
  let dir: string;
  let ws: string;
  let home: string;

  beforeAll(() => {
    // realpath: os.tmpdir() may itself be a symlink (macOS /var -> /private/var).
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'astrid-sandbox-roots-')));
    ws = join(dir, 'ws');
    home = join(dir, 'home');
    for (const d of [
      ws,
      join(ws, 'data'),
      join(ws, 'out'),
      home,
      join(home, 'notes'),
      join(dir, 'abs'),
    ])
      mkdirSync(d, { recursive: true });
    symlinkSync(join(dir, 'abs'), join(ws, 'link'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const inputs = (over: Partial<RootInputs>): RootInputs => ({
    fsRead: [],
    fsWrite: [],
    workspace: ws,
    home,
    ...over,
  });

  it('resolves every entry form against the workspace and home', () => {
    const roots = sandboxRoots(
      inputs({
        fsRead: ['cwd://data', 'workspace://out', 'home://notes', join(dir, 'abs')],
        fsWrite: ['*'],
      }),
      realOrNull,
    );
    expect(roots).toEqual([
      { path: join(ws, 'data'), writable: false },
      { path: join(ws, 'out'), writable: false },
      { path: join(home, 'notes'), writable: false },
      { path: join(dir, 'abs'), writable: false },
      { path: ws, writable: true },
    ]);
  });

  it('maps home:// with an empty remainder to the whole home and cwd:// to the workspace', () => {
    expect(sandboxRoots(inputs({ fsRead: ['home://', 'cwd://'] }), realOrNull)).toEqual([
      { path: home, writable: false },
      { path: ws, writable: false },
    ]);
  });

  it('trims entries before reading them', () => {
    expect(sandboxRoots(inputs({ fsWrite: ['  *  ', ' cwd://data\t'] }), realOrNull)).toEqual([
      { path: ws, writable: true },
      { path: join(ws, 'data'), writable: true },
    ]);
  });

  it('resolves symlinks to the directory they point at', () => {
    expect(sandboxRoots(inputs({ fsRead: ['cwd://link'] }), realOrNull)).toEqual([
      { path: join(dir, 'abs'), writable: false },
    ]);
  });

  it('merges entries naming the same real directory; writable wins in either order', () => {
    const viaLink = sandboxRoots(
      inputs({ fsRead: [join(dir, 'abs')], fsWrite: ['cwd://link'] }),
      realOrNull,
    );
    expect(viaLink).toEqual([{ path: join(dir, 'abs'), writable: true }]);
    const twice = sandboxRoots(inputs({ fsRead: ['*', 'cwd://'], fsWrite: [] }), realOrNull);
    expect(twice).toEqual([{ path: ws, writable: false }]);
  });

  it('drops entries that do not exist', () => {
    expect(
      sandboxRoots(
        inputs({ fsRead: ['cwd://missing', join(dir, 'nope')], fsWrite: ['home://gone'] }),
        realOrNull,
      ),
    ).toEqual([]);
  });

  it('drops home:// entries when the principal has no home', () => {
    expect(
      sandboxRoots(inputs({ home: null, fsRead: ['home://notes', 'home://'] }), realOrNull),
    ).toEqual([]);
  });

  it('drops relative paths and unknown schemes', () => {
    expect(
      sandboxRoots(
        inputs({ fsRead: ['data', './data', 'tmp://x', 'file:///etc', ''] }),
        realOrNull,
      ),
    ).toEqual([]);
  });
});

describe('sandboxRoots with a stub resolver', () => {
  it('asks the resolver about the joined path and uses what it returns', () => {
    const asked: string[] = [];
    const roots = sandboxRoots(
      { fsRead: ['cwd://a/b', '/abs/x'], fsWrite: ['home://h'], workspace: '/ws', home: '/home/u' },
      (p) => {
        asked.push(p);
        return `/real${p}`;
      },
    );
    expect(asked).toEqual(['/ws/a/b', '/abs/x', '/home/u/h']);
    expect(roots).toEqual([
      { path: '/real/ws/a/b', writable: false },
      { path: '/real/abs/x', writable: false },
      { path: '/real/home/u/h', writable: true },
    ]);
  });

  it('never asks the resolver about entries it cannot place', () => {
    const asked: string[] = [];
    sandboxRoots(
      { fsRead: ['rel', 'home://x'], fsWrite: [], workspace: '/ws', home: null },
      (p) => {
        asked.push(p);
        return p;
      },
    );
    expect(asked).toEqual([]);
  });
});

describe('writableIn and visibleIn', () => {
  it('treat a child named ..cache as inside its root (regression)', () => {
    const ws: SandboxRoot[] = [{ path: '/ws', writable: true }];
    expect(writableIn(ws, '/ws/..cache/x')).toBe(true);
    expect(visibleIn(ws, '/ws/..cache')).toBe(true);
  });

  const roots: SandboxRoot[] = [
    { path: '/ws', writable: true },
    { path: '/ws/ro', writable: false },
    { path: '/ws/ro/scratch', writable: true },
    { path: '/data', writable: false },
  ];

  it('lets the deepest root containing the path decide writability', () => {
    expect(writableIn(roots, '/ws')).toBe(true);
    expect(writableIn(roots, '/ws/src/x.ts')).toBe(true);
    expect(writableIn(roots, '/ws/ro')).toBe(false);
    expect(writableIn(roots, '/ws/ro/file')).toBe(false);
    expect(writableIn(roots, '/ws/ro/scratch/f')).toBe(true);
    expect(writableIn(roots, '/data/x')).toBe(false);
  });

  it('does not depend on the order of the roots', () => {
    const reversed = [...roots].reverse();
    expect(writableIn(reversed, '/ws/ro/file')).toBe(false);
    expect(writableIn(reversed, '/ws/ro/scratch/f')).toBe(true);
  });

  it('treats paths outside every root as neither writable nor visible', () => {
    expect(writableIn(roots, '/etc/passwd')).toBe(false);
    expect(writableIn(roots, '/wsx')).toBe(false);
    expect(writableIn([], '/ws')).toBe(false);
    expect(visibleIn(roots, '/etc/passwd')).toBe(false);
    expect(visibleIn(roots, '/datafile')).toBe(false);
    expect(visibleIn([], '/')).toBe(false);
  });

  it('shows paths under any root, read-only or writable', () => {
    expect(visibleIn(roots, '/data')).toBe(true);
    expect(visibleIn(roots, '/data/deep/file')).toBe(true);
    expect(visibleIn(roots, '/ws/ro/x')).toBe(true);
  });
});
