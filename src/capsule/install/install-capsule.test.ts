import { access, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capsuleSource } from '../../../test/helpers/capsule-source.js';
import { tinyComponent } from '../../../test/helpers/components.js';
import { snapshotTree } from '../../../test/helpers/file-tree.js';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { isAstridError } from '../../core/errors.js';
import { parsePrincipalId } from '../../core/ids/principal-id.js';
import { blake3Hex } from '../../storage/files/content-hash.js';
import { AstridHome } from '../../storage/home/astrid-home.js';
import { readCapsuleMeta } from './capsule-meta.js';
import {
  INSTALL_STEPS,
  type InstallStep,
  installFromDirectory,
  installOutputToJson,
} from './install-capsule.js';

async function newHome(): Promise<AstridHome> {
  const home = new AstridHome(await tempDir('astrid-home-'));
  await home.ensure();
  await home.defaultPrincipal.ensure();
  return home;
}

async function present(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('installFromDirectory', () => {
  it('installs: copies the tree without .wasm, content-addresses component and WIT, writes meta', async () => {
    const home = await newHome();
    const wasm = await tinyComponent('x');
    const src = await capsuleSource({
      wasm,
      extraToml: '[exports]\n"acme:weather" = "1.0.0"\n[imports]\n"astrid:session" = "^1.0"\n',
      files: {
        'README.md': 'hello',
        'assets/data.json': '{}',
        'wit/types.wit': 'package acme:weather;',
        'wit/deps/io.wit': 'package astrid:io;',
        'dist/out.js': 'skip me',
        '.git/HEAD': 'ref',
        'target/debug/x': 'skip',
        'node_modules/pkg/dist/index.js': 'kept',
      },
    });
    const out = await installFromDirectory(src, home, {
      now: () => new Date('2026-01-01T00:00:00Z'),
    });
    const target = home.defaultPrincipal.capsuleDir(out.capsule);
    expect(out).toMatchObject({
      capsule: 'demo',
      targetDir: target,
      phase: 'install',
      installedVersion: '1.0.0',
      previousVersion: null,
      envNeedsPrompt: false,
      missingImports: [{ namespace: 'astrid', interface: 'session', requirement: '^1.0' }],
      exportConflicts: [],
    });
    const hash = await blake3Hex(wasm);
    expect(out.wasmHash).toBe(hash);
    expect(await readFile(join(home.binDir, `${hash}.wasm`))).toEqual(wasm);
    const tree = await snapshotTree(target);
    expect(Object.keys(tree).sort()).toEqual(
      [
        'Capsule.toml',
        'README.md',
        'assets',
        'assets/data.json',
        'meta.json',
        'node_modules',
        'node_modules/pkg',
        'node_modules/pkg/dist',
        'node_modules/pkg/dist/index.js',
      ].sort(),
    );
    const meta = await readCapsuleMeta(target);
    expect(meta).toEqual({
      version: '1.0.0',
      installed_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
      imports: { astrid: { session: '^1.0' } },
      exports: { acme: { weather: '1.0.0' } },
      wasm_hash: hash,
      wit_files: {
        'types.wit': await blake3Hex('package acme:weather;'),
        'deps/io.wit': await blake3Hex('package astrid:io;'),
      },
    });
    expect(await present(join(home.witDir, `${await blake3Hex('package astrid:io;')}.wit`))).toBe(
      true,
    );
    expect(installOutputToJson(out)).toMatchObject({
      phase: 'install',
      target_dir: target,
      wasm_hash: hash,
    });
  });

  it('upgrades: detects the previous version, keeps installed_at, carries .env.json over, drops the backup', async () => {
    const home = await newHome();
    let t = new Date('2026-01-01T00:00:00Z');
    await installFromDirectory(await capsuleSource({ version: '1.0.0' }), home, {
      now: () => t,
      originalSource: 'gh:x',
    });
    const target = home.defaultPrincipal.capsuleDir('demo' as never);
    await writeFile(join(target, '.env.json'), '{"KEY":"v"}');
    t = new Date('2026-02-01T00:00:00Z');
    const out = await installFromDirectory(
      await capsuleSource({ version: '1.1.0', extraToml: '[env.KEY]\ntype = "text"\n' }),
      home,
      {
        now: () => t,
      },
    );
    expect(out.phase).toBe('upgrade');
    expect(out.previousVersion).toBe('1.0.0');
    const meta = await readCapsuleMeta(target);
    expect(meta?.installed_at).toBe('2026-01-01T00:00:00.000Z');
    expect(meta?.updated_at).toBe('2026-02-01T00:00:00.000Z');
    expect(meta?.source).toBe('gh:x');
    expect(await readFile(out.envPath, 'utf8')).toBe('{"KEY":"v"}');
    expect(out.envNeedsPrompt).toBe(false);
    expect(await present(`${target}.bak`)).toBe(false);
    expect((await readdir(home.binDir)).length).toBe(2);
  });

  it('asks for env values only when the manifest has env and no env file exists', async () => {
    const home = await newHome();
    const out = await installFromDirectory(
      await capsuleSource({ extraToml: '[env.API_KEY]\ntype = "secret"\n' }),
      home,
    );
    expect(out.envNeedsPrompt).toBe(true);
    expect(out.envPath).toBe(home.defaultPrincipal.envFile('demo' as never));
  });

  it('installs into another principal or a workspace', async () => {
    const home = await newHome();
    const alice = parsePrincipalId('alice');
    const out = await installFromDirectory(await capsuleSource(), home, { principal: alice });
    expect(out.targetDir).toBe(home.principal(alice).capsuleDir('demo' as never));
    const ws = await tempDir();
    const wsOut = await installFromDirectory(await capsuleSource(), home, { workspaceRoot: ws });
    expect(wsOut.targetDir).toBe(join(ws, '.astrid', 'capsules', 'demo'));
  });

  it('reports export conflicts with other installed capsules', async () => {
    const home = await newHome();
    await installFromDirectory(
      await capsuleSource({ name: 'one', extraToml: '[exports]\n"acme:x" = "1.0.0"\n' }),
      home,
    );
    const out = await installFromDirectory(
      await capsuleSource({ name: 'two', extraToml: '[exports]\n"acme:x" = "2.0.0"\n' }),
      home,
    );
    expect(out.exportConflicts).toEqual([{ interface: 'acme/x', existingCapsule: 'one' }]);
  });

  it('an import met by another capsule is not reported missing', async () => {
    const home = await newHome();
    await installFromDirectory(
      await capsuleSource({ name: 'provider', extraToml: '[exports]\n"acme:x" = "1.4.0"\n' }),
      home,
    );
    const ok = await installFromDirectory(
      await capsuleSource({ name: 'user', extraToml: '[imports]\n"acme:x" = "1.2"\n' }),
      home,
    );
    expect(ok.missingImports).toEqual([]);
    const tooNew = await installFromDirectory(
      await capsuleSource({ name: 'user2', extraToml: '[imports]\n"acme:x" = "^2"\n' }),
      home,
    );
    expect(tooNew.missingImports).toEqual([
      { namespace: 'acme', interface: 'x', requirement: '^2' },
    ]);
  });

  it('refuses an invalid manifest before touching anything', async () => {
    const home = await newHome();
    const before = await snapshotTree(home.root);
    const src = await capsuleSource({
      extraToml: '[subscribe]\n"a.b" = { wit = "x", priority = 1 }\n',
    });
    await expect(installFromDirectory(src, home)).rejects.toThrow(/priority` requires a `handler/);
    expect(await snapshotTree(home.root)).toEqual(before);
  });

  it('refuses a missing component file with a clear error', async () => {
    const home = await newHome();
    const src = await capsuleSource({
      wasm: null,
      extraToml: '[[component]]\nfile = "missing.wasm"\n',
    });
    await expect(installFromDirectory(src, home)).rejects.toThrow(
      /component missing.wasm not found/,
    );
  });

  describe('symlink defences', () => {
    it('refuses a symlink to /etc/passwd', async () => {
      const home = await newHome();
      const src = await capsuleSource();
      await symlink('/etc/passwd', join(src, 'passwd'));
      const err = await installFromDirectory(src, home).catch((e) => e);
      expect(isAstridError(err, 'invalid-input')).toBe(true);
      expect(String(err.message)).toContain('resolves outside the capsule source root');
      expect(await present(home.defaultPrincipal.capsuleDir('demo' as never))).toBe(false);
      expect(await readdir(home.binDir)).toEqual([]);
    });

    it('refuses a directory symlink, even inside the root', async () => {
      const home = await newHome();
      const src = await capsuleSource({ files: { 'real/a.txt': 'a' } });
      await symlink(join(src, 'real'), join(src, 'alias'));
      await expect(installFromDirectory(src, home)).rejects.toThrow(
        /directory symlink alias is not allowed/,
      );
    });

    it('refuses a dangling symlink', async () => {
      const home = await newHome();
      const src = await capsuleSource();
      await symlink(join(src, 'nowhere'), join(src, 'dangling'));
      await expect(installFromDirectory(src, home)).rejects.toThrow(/dangling/);
    });

    it('copies a symlink to a file inside the root as a regular file', async () => {
      const home = await newHome();
      const src = await capsuleSource({ files: { 'node_modules/pkg/cli.js': 'run()' } });
      await mkdir(join(src, 'node_modules', '.bin'), { recursive: true });
      await symlink('../pkg/cli.js', join(src, 'node_modules', '.bin', 'cli'));
      const out = await installFromDirectory(src, home);
      const tree = await snapshotTree(out.targetDir);
      expect(tree['node_modules/.bin/cli']).toBe(Buffer.from('run()').toString('base64'));
    });
  });

  describe('rollback', () => {
    it.each(INSTALL_STEPS.map((s) => [s]))(
      'a failure at step %s leaves the previous installation exactly as it was',
      async (failAt) => {
        const home = await newHome();
        await installFromDirectory(
          await capsuleSource({ version: '1.0.0', files: { 'keep.txt': 'v1' } }),
          home,
        );
        const target = home.defaultPrincipal.capsuleDir('demo' as never);
        await writeFile(join(target, '.env.json'), '{"A":"kept"}');
        await writeFile(home.defaultPrincipal.envFile('demo' as never), '{"A":"operator"}');
        const before = await snapshotTree(home.root);
        const src = await capsuleSource({
          version: '2.0.0',
          files: { 'keep.txt': 'v2', 'wit/new.wit': 'package x:y;' },
        });
        const boom = new Error(`injected failure at ${failAt}`);
        await expect(
          installFromDirectory(src, home, {
            onStep: (s: InstallStep) => {
              if (s === failAt) throw boom;
            },
          }),
        ).rejects.toBe(boom);
        expect(await snapshotTree(home.root)).toEqual(before);
      },
    );

    it('a failing lifecycle hook rolls a fresh install back to nothing', async () => {
      const home = await newHome();
      const before = await snapshotTree(home.root);
      const err = new Error('lifecycle dispatch failed: guest trapped');
      await expect(
        installFromDirectory(await capsuleSource(), home, {
          lifecycle: async ({ phase, wasmHash }) => {
            expect(phase).toBe('install');
            expect(wasmHash).toMatch(/^[0-9a-f]{64}$/);
            throw err;
          },
        }),
      ).rejects.toBe(err);
      expect(await snapshotTree(home.root)).toEqual(before);
    });
  });

  it('serialises concurrent installs into one home', async () => {
    const home = await newHome();
    const outs = await Promise.all(
      ['a', 'b', 'c', 'd'].map(async (n) =>
        installFromDirectory(await capsuleSource({ name: n }), home),
      ),
    );
    expect(outs.map((o) => o.capsule).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect((await readdir(home.defaultPrincipal.capsulesDir)).sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});
