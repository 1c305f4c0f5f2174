import { realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseGuestPath } from '../fs/guest-path.js';
import { HostError } from '../host-error.js';
import { isWithin } from '../path-within.js';
import type { SandboxRoot } from './sandbox-plan.js';
import { visibleIn } from './sandbox-roots.js';

export interface CwdInputs {
  readonly workspace: string;
  readonly home: string | null;
  /** The principal's tmp directory when it is mounted at /tmp in the sandbox. */
  readonly tmp: string | null;
  readonly roots: readonly SandboxRoot[];
}

/** Where a child starts: `host` is the real directory, `sandbox` the same place as the child sees it. */
export interface ChildCwd {
  readonly host: string;
  readonly sandbox: string;
}

function real(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/**
 * Resolves a spawn's `cwd` (a guest path: `cwd://…`, `home://…`, `/tmp/…`,
 * or relative to the workspace) to a directory inside the roots the child
 * may use. Leaving the mount, or landing outside every root, is a
 * `boundary-escape`. Without a `cwd`: the workspace when the child may see
 * it, else the first root inside it, else /tmp.
 */
export function resolveChildCwd(requested: string | null, inputs: CwdInputs): ChildCwd {
  if (requested === null) {
    if (visibleIn(inputs.roots, inputs.workspace))
      return { host: inputs.workspace, sandbox: inputs.workspace };
    const inside = inputs.roots.find((r) => isWithin(r.path, inputs.workspace));
    if (inside !== undefined) return { host: inside.path, sandbox: inside.path };
    return { host: inputs.tmp ?? '/tmp', sandbox: '/tmp' };
  }
  let guest: ReturnType<typeof parseGuestPath>;
  try {
    guest = parseGuestPath(requested);
  } catch (e) {
    if (e instanceof HostError && e.tag === 'boundary-escape') throw e;
    throw new HostError('invalid-input', `cwd: ${e instanceof Error ? e.message : String(e)}`);
  }
  const root =
    guest.mount === 'workspace'
      ? inputs.workspace
      : guest.mount === 'home'
        ? inputs.home
        : inputs.tmp;
  if (root === null)
    throw new HostError(
      'boundary-escape',
      `cwd ${requested} is outside the directories the child may use`,
    );
  const rootReal = real(root) ?? root;
  const target = real(join(root, ...guest.parts));
  if (target === null) throw new HostError('invalid-input', `cwd ${requested} does not exist`);
  if (!isWithin(target, rootReal))
    throw new HostError('boundary-escape', `cwd ${requested} leaves its root`);
  if (!statSync(target).isDirectory())
    throw new HostError('invalid-input', `cwd ${requested} is not a directory`);
  if (guest.mount === 'tmp')
    return { host: target, sandbox: join('/tmp', relative(rootReal, target)) };
  if (!visibleIn(inputs.roots, target))
    throw new HostError(
      'boundary-escape',
      `cwd ${requested} is outside the directories the capsule's fs_read/fs_write grant`,
    );
  return { host: target, sandbox: target };
}
