import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AstridError } from '../core/errors.js';
import { findExecutable } from '../storage/files/find-executable.js';

/** A companion binary to run: the interpreter prefix (node + loader flags) and the script, or a PATH executable. */
export interface Companion {
  readonly command: string;
  readonly args: readonly string[];
  /** The path reported to users (`--emit-path`). */
  readonly path: string;
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
  const onPath = findExecutable(name, env.PATH);
  if (onPath !== null) return { command: onPath, args: [], path: onPath };
  throw new AstridError(
    'not-found',
    `\`${name}\` not found. Ensure it is installed alongside the astrid CLI or available in PATH.`,
  );
}
