import { HostError } from '../host-error.js';

export type MountKind = 'workspace' | 'home' | 'tmp';

export interface GuestPath {
  readonly mount: MountKind;
  /** Normalised components below the mount root (empty = the root itself). */
  readonly parts: readonly string[];
  /** The scheme as the guest wrote it, for messages and canonical paths. */
  readonly scheme: 'cwd://' | 'workspace://' | 'home://' | 'tmp://' | '/tmp/' | '';
}

/** The guest-visible spelling of a path (never a host path). */
export function displayPath(p: Pick<GuestPath, 'scheme' | 'parts' | 'mount'>): string {
  const scheme =
    p.scheme === ''
      ? p.mount === 'workspace'
        ? 'cwd://'
        : p.mount === 'home'
          ? 'home://'
          : 'tmp://'
      : p.scheme;
  return `${scheme}${p.parts.join('/')}`;
}

/**
 * Lexically normalises path components: `.` and empty segments vanish, `..`
 * removes its parent; climbing above the root is a boundary escape.
 */
export function normaliseParts(raw: string, shown: string): string[] {
  const out: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) throw new HostError('boundary-escape', `${shown} leaves its root`);
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out;
}

/**
 * Parses a guest path: `cwd://p` and `workspace://p` (the workspace),
 * `home://p` (the invoking principal's home), `tmp://p`, `/tmp` and `/tmp/p`
 * (its tmp); anything else is relative to the workspace (a leading `/` is
 * dropped, so `/etc/x` names `<workspace>/etc/x`). Pure.
 */
export function parseGuestPath(input: string): GuestPath {
  if (input.includes('\0')) throw new HostError('invalid-path', 'a path must not contain NUL');
  if (input.length === 0) throw new HostError('invalid-path', 'a path must not be empty');
  const schemes: [GuestPath['scheme'], MountKind][] = [
    ['cwd://', 'workspace'],
    ['workspace://', 'workspace'],
    ['home://', 'home'],
    ['tmp://', 'tmp'],
  ];
  for (const [scheme, mount] of schemes) {
    if (input.startsWith(scheme))
      return { mount, scheme, parts: normaliseParts(input.slice(scheme.length), input) };
  }
  if (input === '/tmp' || input.startsWith('/tmp/')) {
    return {
      mount: 'tmp',
      scheme: '/tmp/',
      parts: normaliseParts(input.slice('/tmp'.length), input),
    };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input))
    throw new HostError('invalid-path', `unknown path scheme in ${input}`);
  return { mount: 'workspace', scheme: '', parts: normaliseParts(input, input) };
}
