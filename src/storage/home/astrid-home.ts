import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';
import { AstridError } from '../../core/errors.js';
import type { CapsuleId } from '../../core/ids/capsule-id.js';
import { DEFAULT_PRINCIPAL, type PrincipalId } from '../../core/ids/principal-id.js';
import { PrincipalHome } from './principal-home.js';

export const LAYOUT_VERSION = '1';
/** Directories `ensure()` creates, all 0700. */
const HOME_DIRS = ['etc', 'etc/hooks', 'var', 'run', 'log', 'keys', 'bin', 'wit', 'home'] as const;

function hasDotDot(path: string): boolean {
  return path.split(/[\\/]/).includes('..');
}

/**
 * Resolves the Astrid home: `$ASTRID_HOME` (absolute, no `..`) or
 * `$HOME/.astrid`; neither set is an error. Never falls back silently.
 */
export function resolveAstridHomePath(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.ASTRID_HOME;
  if (explicit !== undefined) {
    if (!isAbsolute(explicit) || hasDotDot(explicit)) {
      throw new AstridError(
        'config',
        `ASTRID_HOME must be an absolute path without '..' (got ${JSON.stringify(explicit)})`,
      );
    }
    return explicit;
  }
  const home = env.HOME;
  if (home === undefined || home.length === 0) {
    throw new AstridError('config', 'cannot locate the Astrid home: set ASTRID_HOME or HOME');
  }
  if (!isAbsolute(home) || hasDotDot(home)) {
    throw new AstridError(
      'config',
      `HOME must be an absolute path without '..' (got ${JSON.stringify(home)})`,
    );
  }
  return join(home, '.astrid');
}

/** The directory tree everything durable lives in (see ARCHITECTURE.md §5). */
export class AstridHome {
  readonly root: string;

  constructor(root: string) {
    if (!isAbsolute(root) || hasDotDot(root)) {
      throw new AstridError(
        'config',
        `Astrid home must be an absolute path without '..' (got ${JSON.stringify(root)})`,
      );
    }
    this.root = root.endsWith(sep) && root.length > 1 ? root.slice(0, -1) : root;
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): AstridHome {
    return new AstridHome(resolveAstridHomePath(env));
  }

  path(...parts: string[]): string {
    return join(this.root, ...parts);
  }

  get etcDir(): string {
    return this.path('etc');
  }
  get runDir(): string {
    return this.path('run');
  }
  get logDir(): string {
    return this.path('log');
  }
  get keysDir(): string {
    return this.path('keys');
  }
  get varDir(): string {
    return this.path('var');
  }
  /** Content-addressed WASM components (`<blake3>.wasm`), append-only. */
  get binDir(): string {
    return this.path('bin');
  }
  /** Content-addressed WIT files (`<blake3>.wit`), append-only. */
  get witDir(): string {
    return this.path('wit');
  }
  /** Transpiled, instrumented artifacts per component hash. */
  get libDir(): string {
    return this.path('lib');
  }
  get secretsDir(): string {
    return this.path('secrets');
  }

  principal(id: PrincipalId): PrincipalHome {
    return new PrincipalHome(this.path('home', id));
  }

  /** Global installs live under the `default` principal. */
  get defaultPrincipal(): PrincipalHome {
    return this.principal(DEFAULT_PRINCIPAL);
  }

  /** `<home>/home/default/.config/env/<capsule>.env.json` — the operator's env values for a capsule. */
  envFile(capsule: CapsuleId, principal: PrincipalId = DEFAULT_PRINCIPAL): string {
    return this.principal(principal).envFile(capsule);
  }

  /** Creates the layout (idempotent): directories 0700, `etc/layout-version`. */
  async ensure(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await chmod(this.root, 0o700);
    for (const dir of HOME_DIRS) {
      const path = this.path(dir);
      await mkdir(path, { recursive: true, mode: 0o700 });
      await chmod(path, 0o700);
    }
    const versionFile = this.path('etc', 'layout-version');
    try {
      await readFile(versionFile, 'utf8');
    } catch {
      await writeFile(versionFile, LAYOUT_VERSION, { flag: 'wx' }).catch(
        (e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw e;
        },
      );
    }
  }
}
