import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAstrid } from '../helpers/run-cli.js';
import { fileTempDir, tempDir } from '../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const ASTRID_BIN = join(ROOT, 'dist', 'cli', 'bin', 'astrid.js');
/** The first ComponentizeJS build takes ~20 s, and `npm test` builds too. */
const SLOW_MS = 300_000;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a real program as a user would, in `cwd`, without colours. */
function run(command: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), SLOW_MS - 10_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

const explain = (r: Run) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

describe('astrid new capsule demo && cd demo && npm test && astrid build', () => {
  beforeAll(async () => {
    // The binaries under test are the installed ones: build them from these sources.
    const build = await run('npm', ['run', 'build'], ROOT);
    if (build.code !== 0) throw new Error(`npm run build failed: ${explain(build)}`);
  }, SLOW_MS);

  it(
    'works in a fresh directory, and the build after the tests is a cache hit',
    async () => {
      const cwd = await fileTempDir('astrid-new-');
      const created = await run(process.execPath, [ASTRID_BIN, 'new', 'capsule', 'demo'], cwd);
      expect(created.code, explain(created)).toBe(0);
      expect(created.stdout).toContain('✓ Created capsule demo in demo (7 files)');
      expect(created.stdout).toContain('✓ Installed dependencies (@astrid/sdk, astrid)');
      expect(created.stdout).toContain('i Next: cd demo && npm test && npx astrid build');
      expect(created.stderr).toContain('i npm install --offline in demo');
      const demo = join(cwd, 'demo');
      for (const f of [
        'Capsule.toml',
        'package.json',
        'tsconfig.json',
        'src/index.ts',
        'test/capsule.test.mjs',
        'README.md',
        '.gitignore',
        'node_modules/.bin/astrid',
        'node_modules/@astrid/sdk/package.json',
      ])
        expect(existsSync(join(demo, f)), f).toBe(true);
      const pkg = JSON.parse(await readFile(join(demo, 'package.json'), 'utf8'));
      expect(pkg.dependencies).toEqual({
        '@astrid/sdk': `file:${ROOT}/sdk`,
        astrid: `file:${ROOT}`,
      });

      const tested = await run('npm', ['test'], demo);
      expect(tested.code, explain(tested)).toBe(0);
      expect(tested.stdout).toMatch(/^# pass 5$/m);
      expect(tested.stdout).toMatch(/^# fail 0$/m);

      const built = await run('npx', ['astrid', 'build'], demo);
      expect(built.code, explain(built)).toBe(0);
      expect(built.stdout).toMatch(
        /^✓ Built demo 0\.1\.0 → dist\/demo-0\.1\.0\.capsule \([\d.]+ MB, component [\d.]+ MB, cached in [\d.]+s\)\n$/,
      );
      expect(built.stderr).toMatch(/^i \[1\/7\] manifest Capsule\.toml \([\d.]+s\)$/m);
      expect(built.stderr).toMatch(/^i \[2\/7\] typecheck tsc --noEmit /m);
      expect(built.stderr).toMatch(/^i \[3\/7\] bundle \.\/src\/index\.ts /m);
      expect(built.stderr).toMatch(/^i \[5\/7\] componentize cached /m);
      expect(built.stderr).toMatch(/^i \[7\/7\] pack dist /m);
      expect(existsSync(join(demo, 'dist', 'demo-0.1.0.capsule'))).toBe(true);
      expect(existsSync(join(demo, 'demo.wasm'))).toBe(true);

      const json = await run('npx', ['astrid', 'build', '--format', 'json'], demo);
      expect(json.code, explain(json)).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual({
        capsule: 'demo',
        version: '0.1.0',
        archive: join(demo, 'dist', 'demo-0.1.0.capsule'),
        component: join(demo, 'demo.wasm'),
        componentBytes: expect.any(Number),
        cached: true,
        imports: ['astrid:ipc/host@1.0.0', 'astrid:kv/host@1.0.0', 'astrid:sys/host@1.0.0'],
        exports: { hookTrigger: true, run: false, install: false, upgrade: false },
      });

      const outDir = join(cwd, 'out');
      const elsewhere = await run(
        process.execPath,
        [ASTRID_BIN, 'build', 'demo', '-o', 'out', '--no-typecheck'],
        cwd,
      );
      expect(elsewhere.code, explain(elsewhere)).toBe(0);
      expect(elsewhere.stdout).toContain('→ out/demo-0.1.0.capsule');
      expect(elsewhere.stderr).toMatch(/^i \[1\/6\] manifest demo\/Capsule\.toml /m);
      expect(existsSync(join(outDir, 'demo-0.1.0.capsule'))).toBe(true);
    },
    SLOW_MS,
  );
});

/** A capsule project whose entry is `source` (the SDK linked as a dependency would be). */
async function project(source: string, toml?: string): Promise<string> {
  const dir = await tempDir('astrid-build-');
  await writeFile(
    join(dir, 'Capsule.toml'),
    toml ??
      '[package]\nname = "broken"\nversion = "0.1.0"\n[[component]]\nfile = "broken.wasm"\n[publish]\n"b.out" = { wit = "opaque" }\n[subscribe]\n"b.in" = { wit = "opaque", handler = "h" }\n',
  );
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'src', 'index.ts'), source);
  await writeFile(
    join(dir, 'tsconfig.json'),
    await readFile(join(ROOT, 'templates', 'capsule', 'tsconfig.json'), 'utf8'),
  );
  await mkdir(join(dir, 'node_modules', '@astrid'), { recursive: true });
  await symlink(join(ROOT, 'sdk'), join(dir, 'node_modules', '@astrid', 'sdk'), 'dir');
  return dir;
}

const GOOD = `import { defineCapsule, verdict } from '@astrid/sdk';
export default defineCapsule({ interceptors: { h: () => verdict.continue() } });
`;

describe('astrid build: errors', () => {
  it('a missing directory exits 1', async () => {
    const r = await runAstrid(['build', '/nonexistent/astrid-capsule']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      '✗ error: capsule project directory /nonexistent/astrid-capsule does not exist',
    );
  });

  it('type errors exit 1 and point at the file and line', async () => {
    const dir = await project(`${GOOD}const n: number = 'not a number';\nexport { n };\n`);
    const r = await runAstrid(['build', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('type errors (fix them, or build with --no-typecheck)');
    expect(r.stderr).toMatch(/src\/index\.ts\(3,7\)/);
  });

  it('bundle errors exit 1 with file:line', async () => {
    const dir = await project(`import { missing } from './missing.js';\n${GOOD}missing();\n`);
    const r = await runAstrid(['build', dir, '--no-typecheck']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bundling failed:');
    expect(r.stderr).toMatch(/src\/index\.ts:1:\d+: Could not resolve "\.\/missing\.js"/);
  });

  it('a host call at module level exits 1 naming the entry', async () => {
    const dir = await project(`import { kv } from '@astrid/sdk';\n${GOOD}kv.get('x');\n`);
    const r = await runAstrid(['build', dir, '--no-typecheck']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      '✗ error: loading ./src/index.ts failed: host function kvGet (astrid:kv/host@1.0.0) was called while the capsule module was being loaded',
    );
  });

  it('a missing default export exits 1 naming the entry and its default export', async () => {
    const dir = await project(`export const x = 1;\n`);
    const r = await runAstrid(['build', dir, '--no-typecheck']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      '✗ error: ./src/index.ts has no default export; end it with `export default defineCapsule({ … })`',
    );
  });

  it('manifest errors exit 1, also as JSON', async () => {
    const dir = await project(GOOD, '[package]\nname = "broken"\nversion = "1.0"\n');
    const r = await runAstrid(['build', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `✗ error: invalid manifest ${join(dir, 'Capsule.toml')}:\n  [package] version: "1.0" is not a full semantic version`,
    );
    const json = await runAstrid(['build', dir, '--format', 'json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});

describe('astrid new capsule: options and refusals', () => {
  it('--dir --no-install --format json writes the project and lists its files', async () => {
    const cwd = await tempDir('astrid-new-');
    const r = await runAstrid([
      'new',
      'capsule',
      'my-cap',
      '--dir',
      join(cwd, 'projects', 'x'),
      '--no-install',
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      capsule: 'my-cap',
      dir: join(cwd, 'projects', 'x'),
      files: [
        '.gitignore',
        'Capsule.toml',
        'README.md',
        'package.json',
        'src/index.ts',
        'test/capsule.test.mjs',
        'tsconfig.json',
      ],
      dependencies: 'skipped',
    });
    const source = await readFile(join(cwd, 'projects', 'x', 'src', 'index.ts'), 'utf8');
    expect(source).toContain("'my_cap_remember': {");
    expect(source).toContain("'my-cap.v1.greeting'");
    expect(existsSync(join(cwd, 'projects', 'x', 'node_modules'))).toBe(false);
  });

  it('refuses a non-empty directory and an invalid name', async () => {
    const cwd = await tempDir('astrid-new-');
    await mkdir(join(cwd, 'taken'));
    await writeFile(join(cwd, 'taken', 'file'), 'x');
    const taken = await runAstrid(['new', 'capsule', 'demo', '--dir', join(cwd, 'taken')]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain(
      `${join(cwd, 'taken')} is not empty; pick another directory with --dir, or remove it first`,
    );
    const bad = await runAstrid(['new', 'capsule', 'Bad_Name', '--dir', join(cwd, 'b')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("use only lowercase letters, digits and '-'");
    expect(existsSync(join(cwd, 'b'))).toBe(false);
  });

  it('without npm, writes the project and says how to finish by hand', async () => {
    const cwd = await tempDir('astrid-new-');
    const r = await runAstrid(['new', 'capsule', 'demo', '--dir', join(cwd, 'demo')], {
      PATH: join(cwd, 'no-bin'),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `! npm is not on PATH; to finish by hand, install Node.js with npm and run: cd ${join(cwd, 'demo')} && npm install`,
    );
    expect(r.stdout).toContain(`i Next: cd ${join(cwd, 'demo')} && npm install && npm test`);
    expect(existsSync(join(cwd, 'demo', 'Capsule.toml'))).toBe(true);
  });
});
