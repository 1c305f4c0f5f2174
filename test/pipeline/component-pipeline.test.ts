import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MeteredInstance } from '../../src/capsule/engines/wasm/instance/metered-instance.js';
import {
  ARTIFACT_MANIFEST,
  compileArtifacts,
  GLUE_FILE,
  prepareArtifacts,
} from '../../src/capsule/engines/wasm/pipeline/artifacts/artifact-store.js';
import {
  componentExportsContain,
  inspectComponent,
} from '../../src/capsule/engines/wasm/pipeline/inspect/inspect-component.js';
import { prepareComponent } from '../../src/capsule/engines/wasm/pipeline/prepare-component.js';
import { transpileComponent } from '../../src/capsule/engines/wasm/pipeline/transpile/transpile-component.js';
import { installFromDirectory } from '../../src/capsule/install/install-capsule.js';
import { loadManifest } from '../../src/capsule/manifest/load-manifest.js';
import { isAstridError } from '../../src/core/errors.js';
import { blake3Hex } from '../../src/storage/files/content-hash.js';
import { AstridHome } from '../../src/storage/home/astrid-home.js';
import { capsuleSource } from '../helpers/capsule-source.js';
import { componentFromJs, componentFromWat } from '../helpers/components.js';
import { HOOK_JS, HOOK_WORLD, hookImports } from '../helpers/guests.js';
import { fileTempDir, tempDir } from '../helpers/temp-dir.js';

const LIFECYCLE_WORLD = `package test:guest;
world lifecycle {
  import astrid:sys/host@1.0.0;
  export run: func();
  export astrid-install: func();
  export astrid-upgrade: func();
}
`;

let jsComponent: Uint8Array;
let jsArtifacts: Awaited<ReturnType<typeof prepareArtifacts>>;
beforeAll(async () => {
  jsComponent = await componentFromJs(HOOK_JS, HOOK_WORLD, 'hook');
  jsArtifacts = await prepareArtifacts(
    await fileTempDir(),
    await blake3Hex(jsComponent),
    jsComponent,
  );
}, 120_000);

async function home(): Promise<AstridHome> {
  const h = new AstridHome(await tempDir('astrid-home-'));
  await h.ensure();
  return h;
}

describe('component inspection', () => {
  it('refuses a component importing wasi:* and names every offending import', async () => {
    const world = `package test:evil;
package wasi:cli@0.2.0 { interface environment { get-arguments: func() -> list<string>; } }
package test:spy@1.0.0 { interface leak { send: func(s: string); } }
world w {
  import astrid:sys/host@1.0.0;
  import wasi:cli/environment@0.2.0;
  import test:spy/leak@1.0.0;
  export run: func();
}`;
    const core = `(module
      (import "wasi:cli/environment@0.2.0" "get-arguments" (func (param i32)))
      (import "test:spy/leak@1.0.0" "send" (func (param i32 i32)))
      (memory (export "memory") 1)
      (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 0))
      (func (export "run")))`;
    const bytes = await componentFromWat(core, world, 'w');
    const err = (() => {
      try {
        inspectComponent(bytes);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(isAstridError(err, 'invalid-input')).toBe(true);
    expect((err as Error).message).toContain('wasi:cli/environment@0.2.0, test:spy/leak@1.0.0');
    expect((err as Error).message).toContain('no wasi:*');
  });

  it('detects toolchain stubs: three lifecycle exports sharing one no-op are not real', async () => {
    const stubbed = await componentFromWat(
      `(module (func $noop) (export "run" (func $noop)) (export "astrid-install" (func $noop)) (export "astrid-upgrade" (func $noop)))`,
      LIFECYCLE_WORLD,
      'lifecycle',
    );
    const info = inspectComponent(stubbed);
    expect(info.guestExports).toEqual({
      'astrid-hook-trigger': false,
      run: false,
      'astrid-install': false,
      'astrid-upgrade': false,
    });
    expect(info.isRunLoop).toBe(false);

    const real = await componentFromWat(
      `(module (func $noop) (func $run (loop $l (br $l)))
        (export "run" (func $run)) (export "astrid-install" (func $noop)) (export "astrid-upgrade" (func $noop)))`,
      LIFECYCLE_WORLD,
      'lifecycle',
    );
    const realInfo = inspectComponent(real);
    expect(realInfo.guestExports.run).toBe(true);
    expect(realInfo.guestExports['astrid-install']).toBe(false);
    expect(realInfo.isRunLoop).toBe(true);
  });

  it('reads a ComponentizeJS component: imports and the one real export', () => {
    const info = inspectComponent(jsComponent);
    expect(info.interfaces).toEqual(['astrid:sys/host@1.0.0', 'astrid:guest/lifecycle@1.0.0']);
    expect(info.guestExports).toEqual({
      'astrid-hook-trigger': true,
      run: false,
      'astrid-install': false,
      'astrid-upgrade': false,
    });
  });

  it('answers "present" for an export when the binary cannot be parsed', () => {
    expect(
      componentExportsContain(Uint8Array.of(0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 11, 99), 'run'),
    ).toBe(true);
  });

  it('refuses core modules and garbage with clear errors', async () => {
    expect(() => inspectComponent(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0))).toThrow(
      /core WebAssembly module, not a component/,
    );
    expect(() => inspectComponent(Buffer.from('#!/bin/sh'))).toThrow(/not a WebAssembly component/);
  });
});

describe('transpile, instrument and run', () => {
  it('runs a ComponentizeJS guest identically with and without instrumentation, with deterministic fuel', async () => {
    const artifacts = jsArtifacts;
    expect(artifacts.built).toBe(true);
    expect(artifacts.manifest.coreModules.length).toBeGreaterThanOrEqual(1);
    const modules = await compileArtifacts(artifacts);

    // The same component, transpiled but not instrumented, as the reference.
    const plain = await transpileComponent(jsComponent);
    const plainDir = await tempDir();
    await writeFile(join(plainDir, GLUE_FILE), plain.glue);
    const plainModules = new Map<string, WebAssembly.Module>();
    for (const [name, bytes] of plain.coreModules)
      plainModules.set(name, new WebAssembly.Module(bytes));
    const { instantiate } = (await import(join(plainDir, GLUE_FILE))) as {
      instantiate: (
        g: (n: string) => WebAssembly.Module,
        i: unknown,
        c: (m: WebAssembly.Module, i: unknown) => WebAssembly.Instance,
      ) => Record<string, (...a: unknown[]) => unknown>;
    };
    const refLogs: string[] = [];
    const ref = instantiate(
      (n) => plainModules.get(n) as WebAssembly.Module,
      { 'astrid:sys/host': hookImports(refLogs)['astrid:sys/host@1.0.0'] },
      (m, i) => new WebAssembly.Instance(m, i as WebAssembly.Imports),
    );

    const fuelRuns: bigint[] = [];
    for (let run = 0; run < 2; run++) {
      const logs: string[] = [];
      const inst = await MeteredInstance.create(
        join(artifacts.dir, GLUE_FILE),
        modules,
        hookImports(logs),
      );
      const hook = inst.exports.astridHookTrigger as (a: string, p: Uint8Array) => unknown;
      for (const [action, n] of [
        ['log', '2000'],
        ['continue', '0'],
        ['deny', '5'],
      ] as const) {
        inst.setFuel(10_000_000_000n);
        const got = hook(action, Buffer.from(n));
        const want = (ref.astridHookTrigger as (a: string, p: Uint8Array) => unknown)(
          action,
          Buffer.from(n),
        );
        expect(got).toEqual(want);
        if (action === 'log') fuelRuns.push(inst.fuelUsed(10_000_000_000n));
      }
      expect(logs).toEqual(refLogs.slice(0, logs.length));
      expect(logs[0]).toMatch(/^info checksum \d+:\d+$/);
    }
    expect(fuelRuns[0]).toBeGreaterThan(100_000n);
    expect(fuelRuns[1]).toBe(fuelRuns[0]);
  }, 60_000);

  it('stops a JS guest that runs out of fuel and reports exhaustion', async () => {
    const artifacts = jsArtifacts;
    const inst = await MeteredInstance.create(
      join(artifacts.dir, GLUE_FILE),
      await compileArtifacts(artifacts),
      hookImports([]),
    );
    inst.setFuel(200_000n);
    expect(() =>
      (inst.exports.astridHookTrigger as (a: string, p: Uint8Array) => unknown)(
        'x',
        Buffer.from('100000000'),
      ),
    ).toThrow();
    expect(inst.fuelExhausted()).toBe(true);
  }, 60_000);

  it('refuses to instantiate when the component starts above the memory quota', async () => {
    const artifacts = jsArtifacts;
    const pages = new Map(artifacts.manifest.coreModules.map((m) => [m.file, m.initialPages]));
    const biggest = Math.max(...pages.values());
    await expect(
      MeteredInstance.create(
        join(artifacts.dir, GLUE_FILE),
        await compileArtifacts(artifacts),
        hookImports([]),
        {
          memoryCapPages: biggest - 1,
          initialPages: pages,
        },
      ),
    ).rejects.toThrow(/above the \d+-page memory quota/);
  }, 60_000);
});

describe('artifact cache', () => {
  it('builds once, reuses, and rebuilds when a tool version changes; concurrent prepares agree', async () => {
    const dir = await tempDir();
    const component = await componentFromWat(
      '(module (func (export "run")))',
      'package test:t;\nworld t { export run: func(); }',
      't',
    );
    const hash = await blake3Hex(component);
    const [a, b] = await Promise.all([
      prepareArtifacts(dir, hash, component),
      prepareArtifacts(dir, hash, component),
    ]);
    expect(a.manifest.builtAt).toBe(b.manifest.builtAt);
    expect((await readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
    const again = await prepareArtifacts(dir, hash, component);
    expect(again.built).toBe(false);
    const manifestPath = join(dir, hash, ARTIFACT_MANIFEST);
    const stale = JSON.parse(await readFile(manifestPath, 'utf8'));
    stale.instrumenterVersion = '0-old';
    await writeFile(manifestPath, JSON.stringify(stale));
    const rebuilt = await prepareArtifacts(dir, hash, component);
    expect(rebuilt.built).toBe(true);
    expect(rebuilt.manifest.instrumenterVersion).not.toBe('0-old');
  });
});

describe('load-time verification', () => {
  async function installed() {
    const h = await home();
    const src = await capsuleSource({ name: 'verify-me' });
    const out = await installFromDirectory(src, h);
    const { manifest } = await loadManifest(out.targetDir);
    return { h, out, manifest };
  }

  it('loads an installed component whose hash matches', async () => {
    const { h, out, manifest } = await installed();
    const artifacts = await prepareComponent(h, out.targetDir, manifest);
    expect(artifacts.manifest.componentHash).toBe(out.wasmHash);
    expect(artifacts.dir).toBe(join(h.libDir, out.wasmHash as string));
  });

  it('refuses a tampered bin/ file', async () => {
    const { h, out, manifest } = await installed();
    const blob = join(h.binDir, `${out.wasmHash}.wasm`);
    const bytes = await readFile(blob);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
    await writeFile(blob, bytes);
    const err = await prepareComponent(h, out.targetDir, manifest).catch((e) => e);
    expect(isAstridError(err, 'integrity')).toBe(true);
    expect(err.message).toContain(
      `WASM integrity check failed for capsule 'verify-me': expected BLAKE3 ${out.wasmHash}, got `,
    );
  });

  it('refuses a capsule without a recorded hash', async () => {
    const { h, out, manifest } = await installed();
    const metaPath = join(out.targetDir, 'meta.json');
    const meta = JSON.parse(await readFile(metaPath, 'utf8'));
    delete meta.wasm_hash;
    await writeFile(metaPath, JSON.stringify(meta));
    const err = await prepareComponent(h, out.targetDir, manifest).catch((e) => e);
    expect(isAstridError(err, 'integrity')).toBe(true);
    expect(err.message).toContain('has no BLAKE3 hash in meta.json');
    expect(err.message).toContain('Refusing to load unverified binary');
  });

  it('refuses a missing blob', async () => {
    const { h, out, manifest } = await installed();
    await import('node:fs/promises').then((fs) => fs.rm(join(h.binDir, `${out.wasmHash}.wasm`)));
    await expect(prepareComponent(h, out.targetDir, manifest)).rejects.toThrow(
      /missing from the content store/,
    );
  });

  it('install refuses a component that imports wasi:*', async () => {
    const h = await home();
    const world = `package test:evil;
package wasi:random@0.2.0 { interface random { get-random-u64: func() -> u64; } }
world w { import wasi:random/random@0.2.0; export run: func(); }`;
    const bytes = await componentFromWat(
      '(module (import "wasi:random/random@0.2.0" "get-random-u64" (func (result i64))) (func (export "run")))',
      world,
      'w',
    );
    const src = await capsuleSource({ name: 'evil', wasm: Buffer.from(bytes) });
    const err = await installFromDirectory(src, h).catch((e) => e);
    expect(isAstridError(err, 'invalid-input')).toBe(true);
    expect(err.message).toContain('wasi:random/random@0.2.0');
    expect(await readdir(h.binDir)).toEqual([]);
  });
});
