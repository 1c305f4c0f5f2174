import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tinyComponent } from './components.js';
import { tempDir } from './temp-dir.js';

export interface SourceOptions {
  readonly name?: string;
  readonly version?: string;
  readonly extraToml?: string;
  readonly files?: Record<string, string | Buffer>;
  readonly wasm?: Buffer | null;
}

/** Writes a capsule source directory with a Capsule.toml, a real (tiny) component and extra files. */
export async function capsuleSource(options: SourceOptions = {}): Promise<string> {
  const dir = await tempDir('astrid-src-');
  const name = options.name ?? 'demo';
  const wasm =
    options.wasm === undefined
      ? await tinyComponent(`${name}-${options.version ?? '1.0.0'}`)
      : options.wasm;
  const toml = [
    '[package]',
    `name = "${name}"`,
    `version = "${options.version ?? '1.0.0'}"`,
    '',
    ...(wasm === null ? [] : ['[[component]]', `file = "${name}.wasm"`, '']),
    options.extraToml ?? '',
  ].join('\n');
  await writeFile(join(dir, 'Capsule.toml'), toml);
  if (wasm !== null) await writeFile(join(dir, `${name}.wasm`), wasm);
  for (const [rel, content] of Object.entries(options.files ?? {})) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), content);
  }
  return dir;
}
