import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tempDir } from './temp-dir.js';

/** Bytes that stand in for a component where only content addressing matters. */
export function fakeComponent(tag: string): Buffer {
  return Buffer.concat([
    Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]),
    Buffer.from(tag),
  ]);
}

export interface SourceOptions {
  readonly name?: string;
  readonly version?: string;
  readonly extraToml?: string;
  readonly files?: Record<string, string | Buffer>;
  readonly wasm?: Buffer | null;
}

/** Writes a capsule source directory with a Capsule.toml, a component and extra files. */
export async function capsuleSource(options: SourceOptions = {}): Promise<string> {
  const dir = await tempDir('astrid-src-');
  const name = options.name ?? 'demo';
  const wasm =
    options.wasm === undefined
      ? fakeComponent(`${name}-${options.version ?? '1.0.0'}`)
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
