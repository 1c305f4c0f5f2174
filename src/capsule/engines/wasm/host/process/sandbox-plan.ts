import type { ResourceLimits } from './spawn-request.js';

/** A read-only system directory, or a symlink the host's layout needs (`/bin -> usr/bin`). */
export type SystemMount =
  | { readonly kind: 'ro-bind'; readonly path: string }
  | { readonly kind: 'ro-bind-try'; readonly path: string }
  | { readonly kind: 'symlink'; readonly target: string; readonly path: string };

/** A host directory the child may use, at the same path inside the sandbox. */
export interface SandboxRoot {
  readonly path: string;
  readonly writable: boolean;
}

export interface SandboxPlan {
  readonly system: readonly SystemMount[];
  readonly roots: readonly SandboxRoot[];
  /** A host directory to mount at /tmp; null gives the child a private, empty /tmp. */
  readonly tmp: string | null;
  /** Whether the child shares the host's network (otherwise it has none). */
  readonly network: boolean;
  /** The working directory inside the sandbox. */
  readonly cwd: string;
  readonly env: readonly (readonly [string, string])[];
  readonly limits: ResourceLimits;
  /** `prlimit`, when limits are set. */
  readonly prlimit: string | null;
  /** The program's absolute path. */
  readonly program: string;
  readonly args: readonly string[];
}

/** Whether any resource limit is set. Pure. */
export function hasLimits(l: ResourceLimits): boolean {
  return (
    l.maxMemoryBytes !== null ||
    l.maxCpuSecs !== null ||
    l.maxPids !== null ||
    l.maxOpenFiles !== null
  );
}

/**
 * The `bwrap` command line for a plan: system directories read-only, each
 * root at its own path (read-only or writable; deeper roots after their
 * parents so they override), a private /tmp unless one is given, fresh
 * /dev and /proc, every namespace unshared (the network too, unless the
 * capsule holds a network capability), no capabilities, a new session, the
 * child killed with its parent, a clean environment, and the status of the
 * child on `statusFd`. Limits go through `prlimit`. Pure.
 */
export function bwrapArgs(plan: SandboxPlan, statusFd: number): string[] {
  const out: string[] = [];
  for (const m of plan.system) {
    if (m.kind === 'symlink') out.push('--symlink', m.target, m.path);
    else out.push(`--${m.kind}`, m.path, m.path);
  }
  out.push('--dev', '/dev', '--proc', '/proc');
  if (plan.tmp === null) out.push('--tmpfs', '/tmp');
  else out.push('--bind', plan.tmp, '/tmp');
  const roots = [...plan.roots].sort(
    (a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path),
  );
  for (const r of roots) out.push(r.writable ? '--bind' : '--ro-bind', r.path, r.path);
  out.push('--unshare-all');
  if (plan.network) out.push('--share-net');
  out.push(
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--json-status-fd',
    String(statusFd),
  );
  out.push('--chdir', plan.cwd, '--clearenv');
  for (const [k, v] of plan.env) out.push('--setenv', k, v);
  out.push('--');
  if (hasLimits(plan.limits) && plan.prlimit !== null) {
    const l = plan.limits;
    out.push(plan.prlimit);
    if (l.maxMemoryBytes !== null) out.push(`--as=${l.maxMemoryBytes}`);
    if (l.maxCpuSecs !== null) out.push(`--cpu=${l.maxCpuSecs}`);
    if (l.maxPids !== null) out.push(`--nproc=${l.maxPids}`);
    if (l.maxOpenFiles !== null) out.push(`--nofile=${l.maxOpenFiles}`);
    out.push('--');
  }
  out.push(plan.program, ...plan.args);
  return out;
}

export const SANDBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The child's environment: a minimal base (PATH, HOME, TMPDIR, LANG) overlaid with the request's. Pure. */
export function childEnvironment(
  requested: readonly (readonly [string, string])[],
  home: string,
): [string, string][] {
  const env = new Map<string, string>([
    ['PATH', SANDBOX_PATH],
    ['HOME', home],
    ['TMPDIR', '/tmp'],
    ['LANG', 'C.UTF-8'],
  ]);
  for (const [k, v] of requested) env.set(k, v);
  return [...env.entries()];
}
