import { spawn } from 'node:child_process';

/**
 * The install a new project runs: offline (its dependencies are `file:`
 * links to this installation, no registry needed) and without lifecycle
 * scripts (the linked installation is already built; its own install and
 * prepare scripts would rebuild it).
 */
export const NPM_INSTALL_ARGS = [
  'install',
  '--no-audit',
  '--no-fund',
  '--offline',
  '--ignore-scripts',
] as const;

export type NpmOutcome =
  | { readonly kind: 'installed' }
  | { readonly kind: 'unavailable'; readonly reason: string }
  | { readonly kind: 'failed'; readonly code: number | null };

/** Runs `npm install` in `dir`, passing each line npm prints to `onLine`. */
export function npmInstall(
  dir: string,
  onLine: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<NpmOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', [...NPM_INSTALL_ARGS], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pending = { out: '', err: '' };
    const feed = (which: 'out' | 'err') => (chunk: Buffer) => {
      const lines = (pending[which] + chunk.toString('utf8')).split('\n');
      pending[which] = lines.pop() ?? '';
      for (const line of lines) if (line.trim().length > 0) onLine(line.trimEnd());
    };
    child.stdout.on('data', feed('out'));
    child.stderr.on('data', feed('err'));
    child.on('error', (e: NodeJS.ErrnoException) => {
      resolve({
        kind: 'unavailable',
        reason: e.code === 'ENOENT' ? 'npm is not on PATH' : e.message,
      });
    });
    child.on('close', (code) => {
      for (const rest of [pending.out, pending.err]) if (rest.trim().length > 0) onLine(rest);
      resolve(code === 0 ? { kind: 'installed' } : { kind: 'failed', code });
    });
  });
}
