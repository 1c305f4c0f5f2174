import { isAbsolute, relative, sep } from 'node:path';

/**
 * Whether `path` is `root` or lies beneath it, by whole path components
 * (`/ws/..cache` is inside `/ws`; `/ws2` and `/ws/../x` are not). Both
 * paths are absolute and already resolved. Pure.
 */
export function isWithin(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
