import { isAbsolute, relative, sep } from 'node:path';
import { HostError } from '../host-error.js';
import { normaliseParts } from './guest-path.js';
import type { Mount } from './mount.js';

const MAX_LINKS = 40;

/**
 * Resolves symbolic links in a mount's own view (the overlay's merged view
 * for the workspace), component by component. A link that points outside
 * the mount root is a `boundary-escape`; an absolute link inside the root is
 * followed. Components that do not exist are kept as they are. With
 * `followLast = false` the final component is not followed (stat-symlink,
 * read-link, unlink).
 */
export async function resolveInMount(
  mount: Mount,
  parts: readonly string[],
  shown: string,
  followLast = true,
): Promise<string[]> {
  let pending = [...parts];
  const done: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const name = pending.shift() as string;
    const candidate = [...done, name];
    const last = pending.length === 0;
    const info = await mount.lstat(candidate);
    if (info === null) {
      done.push(name, ...pending);
      return done;
    }
    if (!info.isSymbolicLink() || (last && !followLast)) {
      done.push(name);
      continue;
    }
    if (++hops > MAX_LINKS)
      throw new HostError('invalid-path', `${shown}: too many levels of symbolic links`);
    const target = await mount.readlink(candidate);
    let base: string[];
    let rest: string;
    if (isAbsolute(target)) {
      const rel = relative(mount.root, target);
      if (rel.startsWith('..') || isAbsolute(rel))
        throw new HostError('boundary-escape', `${shown} links outside its root`);
      base = [];
      rest = rel.split(sep).join('/');
    } else {
      base = [...done];
      rest = target;
    }
    let joined: string[];
    try {
      joined = normaliseParts([...base, rest].join('/'), shown);
    } catch {
      throw new HostError('boundary-escape', `${shown} links outside its root`);
    }
    done.length = 0;
    pending = [...joined, ...pending];
  }
  return done;
}
