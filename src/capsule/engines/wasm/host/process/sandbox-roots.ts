import { isAbsolute, join } from 'node:path';
import { isWithin } from '../path-within.js';
import type { SandboxRoot } from './sandbox-plan.js';

export interface RootInputs {
  readonly fsRead: readonly string[];
  readonly fsWrite: readonly string[];
  readonly workspace: string;
  /** The invoking principal's home, when it has one. */
  readonly home: string | null;
}

function base(entry: string, inputs: RootInputs): string | null {
  const e = entry.trim();
  if (e === '*') return inputs.workspace;
  if (e.startsWith('cwd://')) return join(inputs.workspace, e.slice('cwd://'.length));
  if (e.startsWith('workspace://')) return join(inputs.workspace, e.slice('workspace://'.length));
  if (e.startsWith('home://'))
    return inputs.home === null ? null : join(inputs.home, e.slice('home://'.length));
  return isAbsolute(e) ? e : null;
}

/**
 * The directories a child may see: exactly what the capsule's `fs_read`
 * (read-only) and `fs_write` (writable) entries name, resolved for the
 * invoking principal, as real paths (symlinks resolved), existing paths
 * only. Pure apart from `realOf` (realpath, or null when missing).
 */
export function sandboxRoots(
  inputs: RootInputs,
  realOf: (path: string) => string | null,
): SandboxRoot[] {
  const roots = new Map<string, boolean>();
  for (const [entries, writable] of [
    [inputs.fsRead, false],
    [inputs.fsWrite, true],
  ] as const) {
    for (const entry of entries) {
      const named = base(entry, inputs);
      const b = named === null ? null : realOf(named);
      if (b === null) continue;
      roots.set(b, (roots.get(b) ?? false) || writable);
    }
  }
  return [...roots.entries()].map(([path, writable]) => ({ path, writable }));
}

/** Whether a root list lets the child write `path`. Pure. */
export function writableIn(roots: readonly SandboxRoot[], path: string): boolean {
  let best: SandboxRoot | null = null;
  for (const r of roots) {
    if (isWithin(path, r.path) && (best === null || r.path.length > best.path.length)) best = r;
  }
  return best?.writable ?? false;
}

/** Whether a root list shows the child `path` at all. Pure. */
export function visibleIn(roots: readonly SandboxRoot[], path: string): boolean {
  return roots.some((r) => isWithin(path, r.path));
}
