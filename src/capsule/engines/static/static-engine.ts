import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { AstridError } from '../../../core/errors.js';
import type { CapsuleManifest } from '../../manifest/manifest.js';
import type { CapsuleEngine, HealthStatus, InterceptorOutcome, ReadyStatus } from '../engine.js';

export const MAX_DECLARED_FILE_BYTES = 1024 * 1024;

export interface CapsuleContext {
  readonly contextFiles: readonly { readonly name: string; readonly content: string }[];
  readonly skills: readonly {
    readonly name: string;
    readonly description: string | null;
    readonly content: string;
  }[];
  readonly commands: readonly {
    readonly name: string;
    readonly description: string | null;
    readonly content: string | null;
  }[];
}

/**
 * The declarative part of a capsule: `[[context_file]]`, `[[skill]]` and
 * `[[command]]` files, read at load (each must stay inside the capsule
 * directory, be a regular UTF-8 file and at most 1 MiB) and served to
 * agents through the kernel. Serves no interceptors.
 */
export class StaticEngine implements CapsuleEngine {
  private readonly dir: string;
  private readonly manifest: CapsuleManifest;
  private loaded: CapsuleContext = { contextFiles: [], skills: [], commands: [] };

  constructor(dir: string, manifest: CapsuleManifest) {
    this.dir = dir;
    this.manifest = manifest;
  }

  get context(): CapsuleContext {
    return this.loaded;
  }

  async load(): Promise<void> {
    const m = this.manifest;
    const read = (table: string, name: string, file: string) =>
      this.readDeclared(table, name, file);
    this.loaded = {
      contextFiles: await Promise.all(
        m.contextFiles.map(async (c) => ({
          name: c.name,
          content: await read('[[context_file]]', c.name, c.file),
        })),
      ),
      skills: await Promise.all(
        m.skills.map(async (s) => ({
          name: s.name,
          description: s.description,
          content: await read('[[skill]]', s.name, s.file),
        })),
      ),
      commands: await Promise.all(
        m.commands.map(async (c) => ({
          name: c.name,
          description: c.description,
          content: c.file === null ? null : await read('[[command]]', c.name, c.file),
        })),
      ),
    };
  }

  private async readDeclared(table: string, name: string, file: string): Promise<string> {
    const where = `${table} ${JSON.stringify(name)}`;
    if (isAbsolute(file))
      throw new AstridError(
        'invalid-input',
        `${where}: file ${JSON.stringify(file)} must be relative to the capsule directory`,
      );
    let real: string;
    try {
      real = await realpath(resolve(this.dir, file));
    } catch {
      throw new AstridError(
        'not-found',
        `${where}: file ${JSON.stringify(file)} does not exist in ${this.dir}`,
      );
    }
    const root = await realpath(this.dir);
    const rel = relative(root, real);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new AstridError(
        'invalid-input',
        `${where}: file ${JSON.stringify(file)} resolves outside the capsule directory`,
      );
    }
    const info = await stat(real);
    if (!info.isFile())
      throw new AstridError(
        'invalid-input',
        `${where}: ${JSON.stringify(file)} is not a regular file`,
      );
    if (info.size > MAX_DECLARED_FILE_BYTES)
      throw new AstridError('too-large', `${where}: ${JSON.stringify(file)} is larger than 1 MiB`);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(await readFile(real));
    } catch {
      throw new AstridError('invalid-input', `${where}: ${JSON.stringify(file)} is not UTF-8 text`);
    }
  }

  async unload(): Promise<void> {
    this.loaded = { contextFiles: [], skills: [], commands: [] };
  }

  async waitReady(): Promise<ReadyStatus> {
    return 'ready';
  }

  async invokeInterceptor(): Promise<InterceptorOutcome> {
    return { kind: 'not-supported', reason: 'the static engine serves no interceptors' };
  }

  checkHealth(): HealthStatus {
    return { ok: true };
  }
}
