import { describe, expect, it } from 'vitest';
import {
  bwrapArgs,
  childEnvironment,
  hasLimits,
  SANDBOX_PATH,
  type SandboxPlan,
} from './sandbox-plan.js';
import type { ResourceLimits } from './spawn-request.js';

const NO_LIMITS: ResourceLimits = {
  maxMemoryBytes: null,
  maxCpuSecs: null,
  maxPids: null,
  maxOpenFiles: null,
};

const plan = (over: Partial<SandboxPlan> = {}): SandboxPlan => ({
  system: [],
  roots: [],
  tmp: null,
  network: false,
  cwd: '/work',
  env: [],
  limits: NO_LIMITS,
  prlimit: null,
  program: '/usr/bin/echo',
  args: [],
  ...over,
});

/** The words between `--` and the end: what bwrap runs. */
const command = (args: string[]) => args.slice(args.indexOf('--') + 1);
/** The words before the first `--`: bwrap's own options. */
const options = (args: string[]) => args.slice(0, args.indexOf('--'));

describe('hasLimits', () => {
  it('is false only when every limit is null', () => {
    expect(hasLimits(NO_LIMITS)).toBe(false);
    expect(hasLimits({ ...NO_LIMITS, maxMemoryBytes: 1 << 20 })).toBe(true);
    expect(hasLimits({ ...NO_LIMITS, maxCpuSecs: 1 })).toBe(true);
    expect(hasLimits({ ...NO_LIMITS, maxPids: 1 })).toBe(true);
    expect(hasLimits({ ...NO_LIMITS, maxOpenFiles: 4 })).toBe(true);
  });
});

describe('bwrapArgs', () => {
  it('produces the full command line for a minimal plan', () => {
    expect(bwrapArgs(plan(), 3)).toEqual([
      '--dev',
      '/dev',
      '--proc',
      '/proc',
      '--tmpfs',
      '/tmp',
      '--unshare-all',
      '--die-with-parent',
      '--new-session',
      '--cap-drop',
      'ALL',
      '--json-status-fd',
      '3',
      '--chdir',
      '/work',
      '--clearenv',
      '--',
      '/usr/bin/echo',
    ]);
  });

  it('mounts system directories read-only at the same path and recreates symlinks', () => {
    const args = bwrapArgs(
      plan({
        system: [
          { kind: 'ro-bind', path: '/usr' },
          { kind: 'ro-bind-try', path: '/etc/ssl' },
          { kind: 'symlink', target: 'usr/bin', path: '/bin' },
        ],
      }),
      3,
    );
    expect(args.slice(0, 9)).toEqual([
      '--ro-bind',
      '/usr',
      '/usr',
      '--ro-bind-try',
      '/etc/ssl',
      '/etc/ssl',
      '--symlink',
      'usr/bin',
      '/bin',
    ]);
    expect(args[9]).toBe('--dev');
  });

  it('binds a given host directory at /tmp instead of a private tmpfs', () => {
    const args = options(bwrapArgs(plan({ tmp: '/var/astrid/tmp/p1' }), 3));
    expect(args).not.toContain('--tmpfs');
    const i = args.indexOf('/var/astrid/tmp/p1');
    expect(args.slice(i - 1, i + 2)).toEqual(['--bind', '/var/astrid/tmp/p1', '/tmp']);
  });

  it('mounts roots read-only or writable, parents before children', () => {
    const args = options(
      bwrapArgs(
        plan({
          roots: [
            { path: '/ws/a/b', writable: true },
            { path: '/ws', writable: false },
            { path: '/home/u', writable: true },
            { path: '/ws/a', writable: false },
          ],
        }),
        3,
      ),
    );
    const start = args.indexOf('--tmpfs') + 2;
    const end = args.indexOf('--unshare-all');
    expect(args.slice(start, end)).toEqual([
      '--ro-bind',
      '/ws',
      '/ws',
      '--bind',
      '/home/u',
      '/home/u',
      '--ro-bind',
      '/ws/a',
      '/ws/a',
      '--bind',
      '/ws/a/b',
      '/ws/a/b',
    ]);
  });

  it('mounts the root directory before a top-level directory', () => {
    const args = options(
      bwrapArgs(
        plan({
          roots: [
            { path: '/data', writable: true },
            { path: '/', writable: false },
          ],
        }),
        3,
      ),
    );
    expect(args.indexOf('/')).toBeLessThan(args.indexOf('/data'));
    const i = args.indexOf('/');
    expect(args.slice(i - 1, i + 2)).toEqual(['--ro-bind', '/', '/']);
  });

  it('does not reorder the plan it was given', () => {
    const roots = [
      { path: '/b/c', writable: false },
      { path: '/a', writable: true },
    ];
    bwrapArgs(plan({ roots }), 3);
    expect(roots.map((r) => r.path)).toEqual(['/b/c', '/a']);
  });

  it('shares the network only when the plan allows it, after unsharing everything', () => {
    expect(bwrapArgs(plan(), 3)).not.toContain('--share-net');
    const args = bwrapArgs(plan({ network: true }), 3);
    expect(args.indexOf('--share-net')).toBe(args.indexOf('--unshare-all') + 1);
  });

  it('writes the status to the given descriptor', () => {
    const args = bwrapArgs(plan(), 7);
    expect(args[args.indexOf('--json-status-fd') + 1]).toBe('7');
  });

  it('clears the environment and sets each variable after --clearenv', () => {
    const args = options(
      bwrapArgs(
        plan({
          env: [
            ['PATH', '/usr/bin'],
            ['X', 'a b'],
          ],
        }),
        3,
      ),
    );
    const i = args.indexOf('--clearenv');
    expect(args.slice(i)).toEqual([
      '--clearenv',
      '--setenv',
      'PATH',
      '/usr/bin',
      '--setenv',
      'X',
      'a b',
    ]);
    expect(args.slice(i - 2, i)).toEqual(['--chdir', '/work']);
  });

  it('passes the program and its arguments verbatim after --', () => {
    const args = bwrapArgs(plan({ program: '/usr/bin/sh', args: ['-c', '--', 'echo $HOME'] }), 3);
    expect(command(args)).toEqual(['/usr/bin/sh', '-c', '--', 'echo $HOME']);
  });

  it('runs the program under prlimit with every set limit', () => {
    const args = bwrapArgs(
      plan({
        prlimit: '/usr/bin/prlimit',
        limits: { maxMemoryBytes: 1048576, maxCpuSecs: 10, maxPids: 32, maxOpenFiles: 64 },
        program: '/usr/bin/make',
        args: ['-j4'],
      }),
      3,
    );
    expect(command(args)).toEqual([
      '/usr/bin/prlimit',
      '--as=1048576',
      '--cpu=10',
      '--nproc=32',
      '--nofile=64',
      '--',
      '/usr/bin/make',
      '-j4',
    ]);
  });

  it('passes only the limits that are set', () => {
    const args = bwrapArgs(
      plan({ prlimit: '/usr/bin/prlimit', limits: { ...NO_LIMITS, maxPids: 8 } }),
      3,
    );
    expect(command(args)).toEqual(['/usr/bin/prlimit', '--nproc=8', '--', '/usr/bin/echo']);
  });

  it('does not run prlimit when no limit is set', () => {
    const args = bwrapArgs(plan({ prlimit: '/usr/bin/prlimit' }), 3);
    expect(command(args)).toEqual(['/usr/bin/echo']);
  });

  it('runs the program directly when prlimit is unknown (the caller must refuse limits then)', () => {
    const args = bwrapArgs(plan({ limits: { ...NO_LIMITS, maxCpuSecs: 5 } }), 3);
    expect(command(args)).toEqual(['/usr/bin/echo']);
    expect(args.some((a) => a.startsWith('--cpu'))).toBe(false);
  });
});

describe('childEnvironment', () => {
  it('gives a minimal base environment', () => {
    expect(childEnvironment([], '/home/u')).toEqual([
      ['PATH', SANDBOX_PATH],
      ['HOME', '/home/u'],
      ['TMPDIR', '/tmp'],
      ['LANG', 'C.UTF-8'],
    ]);
    expect(SANDBOX_PATH).toBe('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  });

  it('lets the request override base variables in place and appends new ones in order', () => {
    expect(
      childEnvironment(
        [
          ['LANG', 'en_US.UTF-8'],
          ['Z', '1'],
          ['A', '2'],
          ['HOME', '/elsewhere'],
        ],
        '/home/u',
      ),
    ).toEqual([
      ['PATH', SANDBOX_PATH],
      ['HOME', '/elsewhere'],
      ['TMPDIR', '/tmp'],
      ['LANG', 'en_US.UTF-8'],
      ['Z', '1'],
      ['A', '2'],
    ]);
  });

  it('keeps the last value of a variable requested twice', () => {
    const env = childEnvironment(
      [
        ['X', 'first'],
        ['X', 'second'],
      ],
      '/h',
    );
    expect(env.filter(([k]) => k === 'X')).toEqual([['X', 'second']]);
  });
});
