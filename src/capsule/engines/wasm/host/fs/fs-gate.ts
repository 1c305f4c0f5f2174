import { join } from 'node:path';
import { isWithin } from '../path-within.js';
import type { MountKind } from './guest-path.js';

export interface GateRoots {
  /** The workspace root as the gate sees it (the real workspace, also for overlay writes). */
  readonly workspace: string;
  /** The invoking principal's home, when it has one. */
  readonly home: string | null;
}

/**
 * Whether an `fs_read` / `fs_write` list covers a physical path, by whole
 * path components: `*` covers the workspace (not home, not tmp);
 * `cwd://sub` and `workspace://sub` cover `<workspace>/sub`; `home://sub`
 * covers `<home>/sub` (empty sub = the whole home); any other entry is a
 * literal path prefix. Pure.
 */
export function gateAllows(
  entries: readonly string[],
  physical: string,
  roots: GateRoots,
): boolean {
  for (const entry of entries) {
    if (entry === '*') {
      if (isWithin(physical, roots.workspace)) return true;
      continue;
    }
    let base: string | null;
    if (entry.startsWith('cwd://')) base = join(roots.workspace, entry.slice('cwd://'.length));
    else if (entry.startsWith('workspace://'))
      base = join(roots.workspace, entry.slice('workspace://'.length));
    else if (entry.startsWith('home://'))
      base = roots.home === null ? null : join(roots.home, entry.slice('home://'.length));
    else base = entry;
    if (base !== null && base.length > 0 && isWithin(physical, base)) return true;
  }
  return false;
}

/** The physical path the gate judges for a mount-relative path. */
export function physicalPath(mount: MountKind, root: string, parts: readonly string[]): string {
  void mount;
  return parts.length === 0 ? root : join(root, ...parts);
}
