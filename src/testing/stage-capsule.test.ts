import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadManifest } from '../capsule/manifest/load-manifest.js';
import { installFiles, stageCapsule } from './stage-capsule.js';

const temps: string[] = [];
async function temp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'astrid-stage-'));
  temps.push(dir);
  return dir;
}
afterEach(async () => {
  for (const d of temps.splice(0)) await rm(d, { recursive: true, force: true });
});

const TOML = `[package]
name = "staged"
version = "1.0.0"
[[component]]
file = "out/staged.wasm"
[[skill]]
name = "s"
description = "a skill"
file = "skills/s.md"
[[context_file]]
name = "c"
file = "CONTEXT.md"
`;

async function project(): Promise<string> {
  const dir = await temp();
  await writeFile(join(dir, 'Capsule.toml'), TOML);
  await mkdir(join(dir, 'out'));
  await writeFile(join(dir, 'out', 'staged.wasm'), 'wasm');
  await mkdir(join(dir, 'skills'));
  await writeFile(join(dir, 'skills', 's.md'), 'skill');
  await writeFile(join(dir, 'CONTEXT.md'), 'context');
  await mkdir(join(dir, 'wit', 'deps'), { recursive: true });
  await writeFile(join(dir, 'wit', 'deps', 'x.wit'), 'package a:b;');
  await mkdir(join(dir, 'node_modules', 'pkg'), { recursive: true });
  await writeFile(join(dir, 'node_modules', 'pkg', 'index.js'), '');
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'src', 'index.ts'), '');
  return dir;
}

async function tree(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(root, rel), { withFileTypes: true })) {
    const child = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...(await tree(root, child)));
    else out.push(child);
  }
  return out.sort();
}

describe('staging a built capsule for install', () => {
  it('lists the manifest, the component and every file the manifest names', async () => {
    const { manifest } = await loadManifest(await project());
    expect(installFiles(manifest, 'out/staged.wasm')).toEqual([
      'Capsule.toml',
      'out/staged.wasm',
      'CONTEXT.md',
      'skills/s.md',
    ]);
  });

  it('refuses a named file that leaves the project', async () => {
    const { manifest } = await loadManifest(await project());
    expect(() => installFiles(manifest, '../elsewhere.wasm')).toThrow(
      'Capsule.toml names ../elsewhere.wasm, which leaves the capsule',
    );
    expect(() => installFiles(manifest, '/etc/elsewhere.wasm')).toThrow(
      'Capsule.toml names /etc/elsewhere.wasm, which leaves the capsule',
    );
  });

  it('copies the install set and wit/, and nothing else (no node_modules, no sources)', async () => {
    const dir = await project();
    const { manifest } = await loadManifest(dir);
    const target = join(await temp(), 'stage');
    await stageCapsule(dir, manifest, join(dir, 'out', 'staged.wasm'), target);
    expect(await tree(target)).toEqual([
      'CONTEXT.md',
      'Capsule.toml',
      'out/staged.wasm',
      'skills/s.md',
      'wit/deps/x.wit',
    ]);
    expect(await readFile(join(target, 'out', 'staged.wasm'), 'utf8')).toBe('wasm');
  });

  it('says which named file is missing', async () => {
    const dir = await project();
    await rm(join(dir, 'CONTEXT.md'));
    const { manifest } = await loadManifest(dir);
    await expect(
      stageCapsule(dir, manifest, join(dir, 'out', 'staged.wasm'), join(await temp(), 's')),
    ).rejects.toThrow('Capsule.toml names CONTEXT.md, which does not exist');
  });
});
