import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ASTRID_VERSION } from '../../../core/version.js';
import { type CliIo, type OutputFormat, printStructured } from '../../output.js';

export interface VersionInfo {
  readonly version: string;
  readonly commit: string;
  readonly target: string;
}

/** The package root: the nearest directory above this module with the `astrid` package.json. */
function packageRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'astrid')
          return dir;
      } catch {
        // not ours; keep climbing
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The short commit of the checkout this CLI runs from, or `unknown` outside a git checkout. */
function gitCommit(): string {
  const root = packageRoot();
  // Only our own checkout: an installed copy inside someone else's repository must not report theirs.
  if (root === null || !existsSync(join(root, '.git'))) return 'unknown';
  try {
    const out = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 3_000,
    }).trim();
    return /^[0-9a-f]{4,40}$/.test(out) ? out : 'unknown';
  } catch {
    return 'unknown';
  }
}

export function versionInfo(): VersionInfo {
  return {
    version: ASTRID_VERSION,
    commit: gitCommit(),
    target: `${process.arch}-${process.platform}`,
  };
}

/** `astrid version [--format]`. */
export function versionVerb(io: CliIo, format: OutputFormat): number {
  const info = versionInfo();
  if (format !== 'pretty') printStructured(io, info, format);
  else io.out(`astrid ${info.version}\n  commit: ${info.commit}\n  target: ${info.target}\n`);
  return 0;
}
