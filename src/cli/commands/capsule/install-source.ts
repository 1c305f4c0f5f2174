import { isAbsolute, resolve } from 'node:path';

/** Where `astrid capsule install SOURCE` takes a capsule from. */
export type InstallSource =
  | { readonly kind: 'network'; readonly source: string; readonly fetchHint: string }
  | { readonly kind: 'archive'; readonly path: string }
  | { readonly kind: 'directory'; readonly path: string };

const GITHUB = /^(?:https?:\/\/)?(?:www\.)?github\.com\/([^/]+)\/([^/#?]+)/i;

/**
 * Classifies an install source, in the reference's order: `.` or `/` first
 * is a local path; `@org/repo`, `github.com/…`, URLs and `gh:`/`git@`
 * sources are network sources (this CLI never fetches: the caller refuses
 * them and shows `fetchHint`); `file://` is stripped; anything else is a
 * local path. A local path ending `.capsule` (any case) is an archive. Pure.
 */
export function classifySource(raw: string, cwd: string): InstallSource {
  const local = (p: string): InstallSource => {
    const path = isAbsolute(p) ? resolve(p) : resolve(cwd, p);
    return path.toLowerCase().endsWith('.capsule')
      ? { kind: 'archive', path }
      : { kind: 'directory', path };
  };
  if (raw.startsWith('.') || raw.startsWith('/')) return local(raw);
  if (raw.startsWith('file://')) return local(raw.slice('file://'.length));
  const at = /^@([^/\s]+)\/([^/\s]+)$/.exec(raw);
  if (at !== null) {
    return network(raw, `https://github.com/${at[1]}/${at[2]}`);
  }
  const gh = GITHUB.exec(raw);
  if (gh !== null) {
    return network(raw, `https://github.com/${gh[1]}/${(gh[2] as string).replace(/\.git$/, '')}`);
  }
  if (/^(?:[a-z][a-z0-9+.-]*:\/\/|gh:|git@)/i.test(raw)) return network(raw, raw);
  return local(raw);
}

function network(source: string, repo: string): InstallSource {
  return {
    kind: 'network',
    source,
    fetchHint: repo.startsWith('https://github.com/')
      ? `download its .capsule release asset from ${repo}/releases (or git clone ${repo}), then run astrid capsule install <file.capsule or directory>`
      : `download it yourself, then run astrid capsule install <file.capsule or directory>`,
  };
}
