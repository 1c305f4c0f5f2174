import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { AstridError } from '../core/errors.js';

/** A companion binary to run: the interpreter prefix (node + loader flags) and the script, or a PATH executable. */
export interface Companion {
  readonly command: string;
  readonly args: readonly string[];
  /** The path reported to users (`--emit-path`). */
  readonly path: string;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Finds a companion (`astrid-daemon`, `astrid-emit`): the script of that name
 * beside the running entry point (built `.js`, or `.ts` when running from
 * sources), run with this Node and its loader flags; else an executable on
 * `PATH`; else an error that says how to fix it.
 */
export function findCompanion(
  name: string,
  binDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Companion {
  for (const ext of ['.js', '.ts']) {
    const script = join(binDir, `${name}${ext}`);
    if (existsSync(script))
      return { command: process.execPath, args: [...process.execArgv, script], path: script };
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir.length === 0) continue;
    const candidate = join(dir, name);
    if (executable(candidate)) return { command: candidate, args: [], path: candidate };
  }
  throw new AstridError(
    'not-found',
    `\`${name}\` not found. Ensure it is installed alongside the astrid CLI or available in PATH.`,
  );
}
