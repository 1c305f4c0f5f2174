import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { list as listTar } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capsuleSource } from '../helpers/capsule-source.js';
import { componentFromWat } from '../helpers/components.js';
import { type DaemonProcess, newHome, startDaemon } from '../helpers/daemon-process.js';
import { ECHO_HOOK_WAT, ECHO_HOOK_WORLD } from '../helpers/guests.js';
import { runAstrid } from '../helpers/run-cli.js';
import { fileTempDir, tempDir } from '../helpers/temp-dir.js';

/** An interceptor capsule exporting test/greet, with a secret and a text [env] key. */
const DEMO_TOML = `
[subscribe]
"demo.in" = { wit = "opaque", handler = "echo", priority = 100 }

[publish]
"bench.out" = "opaque"

[exports.test]
greet = "1.0.0"

[env.API_KEY]
type = "secret"
request = "API key"

[env.REGION]
type = "text"

[env.LANG]
type = "text"
default = "en"
`;

let daemon: DaemonProcess;
/** A home no daemon runs on (local installs). */
let localHome: string;
let source: string;
let archive: string;
let out: string;
/** `capsule pack` into a directory, run once for the whole file (later tests install its archive). */
let packed: Awaited<ReturnType<typeof runAstrid>>;

const local = (args: string[]) => runAstrid(args, { ASTRID_HOME: localHome });
const live = (args: string[]) => runAstrid(args, { ASTRID_HOME: daemon.home });

beforeAll(async () => {
  const [home, wasm] = await Promise.all([
    newHome('file'),
    componentFromWat(ECHO_HOOK_WAT, ECHO_HOOK_WORLD, 'echo'),
  ]);
  daemon = await startDaemon({ home });
  localHome = await newHome('file');
  const made = await capsuleSource({
    name: 'demo',
    wasm: Buffer.from(wasm),
    files: {
      'README.md': 'demo',
      'wit/world.wit': 'package test:demo;\nworld demo {}\n',
      '.env.json': '{"REGION":"dev-only"}',
    },
  });
  // capsuleSource directories last one test; this one serves the whole file.
  source = join(await fileTempDir('astrid-src-'), 'demo');
  await cp(made, source, { recursive: true });
  await writeFile(
    join(source, 'Capsule.toml'),
    `[package]\nname = "demo"\nversion = "1.0.0"\ndescription = "demo capsule"\n\n[[component]]\nfile = "demo.wasm"\n${DEMO_TOML}`,
  );
  out = await fileTempDir('astrid-out-');
  archive = join(out, 'demo-1.0.0.capsule');
  packed = await runAstrid(['capsule', 'pack', source, '-o', `${out}/`], {
    ASTRID_HOME: localHome,
  });
}, 60_000);

afterAll(async () => {
  await daemon?.stop();
});

describe('astrid capsule pack', { timeout: 30_000 }, () => {
  it('writes Capsule.toml first, then the component, then the rest, then wit/ (no operator values)', async () => {
    const r = packed;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^✓ Packed demo 1\\.0\\.0 → ${archive.replaceAll('.', '\\.')} \\([\\d.]+ kB, 4 files\\)\\n`,
      ),
    );
    expect(r.stdout).toContain('i left out .env.json: operator values are not shipped');
    const entries: string[] = [];
    await listTar({ file: archive, onReadEntry: (e) => entries.push(e.path) });
    expect(entries).toEqual(['Capsule.toml', 'demo.wasm', 'README.md', 'wit/world.wit']);

    const json = await local([
      'capsule',
      'pack',
      source,
      '-o',
      join(out, 'j.capsule'),
      '--format',
      'json',
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      capsule: 'demo',
      version: '1.0.0',
      path: join(out, 'j.capsule'),
      files: entries,
      skipped: ['.env.json'],
    });
  });

  it('refuses a directory whose manifest is invalid (exit 1, nothing written)', async () => {
    const bad = await tempDir();
    await writeFile(join(bad, 'Capsule.toml'), '[package]\nname = "Bad_Name"\nversion = "1.0.0"\n');
    const r = await local(['capsule', 'pack', bad, '-o', join(bad, 'x.capsule')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^✗ error: invalid manifest .*Capsule\.toml:\n {2}\[package\] name: /);
    expect(existsSync(join(bad, 'x.capsule'))).toBe(false);
  });
});

describe('astrid capsule install / list / show / tree / config / remove without a daemon', {
  timeout: 30_000,
}, () => {
  it('installs a .capsule locally with progress on stderr and says which [env] keys are missing', async () => {
    const r = await local(['capsule', 'install', archive]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '✓ Installed demo 1.0.0',
        `i installed in ${localHome}/home/default/.local/capsules/demo`,
        'i the daemon is not running; demo loads when it starts (astrid start)',
        'i demo needs API_KEY: set it with astrid capsule config demo --set API_KEY=VALUE',
        'i demo needs REGION: set it with astrid capsule config demo --set REGION=VALUE',
        '',
      ].join('\n'),
    );
    for (const step of [
      `· unpacking ${archive}`,
      '· validating Capsule.toml',
      '· transpiling component',
      '· the daemon is not running: installing into',
      '· storing the component in the content store (bin/)',
      '· copying capsule files',
      '· writing meta.json',
    ])
      expect(r.stderr).toContain(step);
    const meta = JSON.parse(
      readFileSync(join(localHome, 'home/default/.local/capsules/demo/meta.json'), 'utf8'),
    );
    expect(existsSync(join(localHome, 'bin', `${meta.wasm_hash}.wasm`))).toBe(true);
    expect(existsSync(join(localHome, 'lib', meta.wasm_hash, 'artifact.json'))).toBe(true);

    // A static consumer of test/greet, installed from a directory.
    const consumer = await capsuleSource({
      name: 'consumer',
      wasm: null,
      extraToml: '[imports.test]\ngreet = "^1.0"\n',
    });
    const c = await local(['capsule', 'install', consumer, '--format', 'json']);
    expect(c.code).toBe(0);
    expect(JSON.parse(c.stdout)).toMatchObject({
      capsule: 'consumer',
      phase: 'install',
      installed_version: '1.0.0',
      via: 'local',
      loaded: false,
      missing_imports: [],
      needs_config: [],
    });
  });

  it('list, show and tree read the installed files', async () => {
    const [listed, shown, pretty, missing, tree, treeJson] = await Promise.all([
      local(['capsule', 'list', '--format', 'json']),
      local(['capsule', 'show', 'demo', '--format', 'json']),
      local(['capsule', 'show', 'demo']),
      local(['capsule', 'show', 'nope']),
      local(['capsule', 'tree']),
      local(['capsule', 'tree', '--format', 'json']),
    ]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      {
        name: 'consumer',
        version: '1.0.0',
        state: 'not loaded',
        dir: expect.stringContaining('consumer'),
      },
      { name: 'demo', version: '1.0.0', state: 'not loaded', dir: expect.stringContaining('demo') },
    ]);
    const view = JSON.parse(shown.stdout);
    expect(view).toMatchObject({ name: 'demo', version: '1.0.0', source: null });
    expect(view.wasm_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(view.installed_at).toBe(view.updated_at);
    expect(view.manifest.package.description).toBe('demo capsule');
    expect(pretty.stdout).toMatch(/^demo 1\.0\.0\n {2}description: +demo capsule\n/);
    expect(pretty.stdout).toContain('env:          API_KEY (secret), LANG (text), REGION (text)');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      "✗ error: Capsule 'nope' is not installed (see astrid capsule list)\n",
    );
    expect(tree.stdout).toBe('consumer 1.0.0\n└── demo 1.0.0 (test/greet ^1.0)\n');
    expect(JSON.parse(treeJson.stdout)).toMatchObject({
      order: ['demo', 'consumer'],
      cycle: null,
      capsules: [
        { name: 'demo', exports: [{ interface: 'test/greet', version: '1.0.0' }] },
        { name: 'consumer', imports: [{ interface: 'test/greet', providers: ['demo'] }] },
      ],
    });
  });

  it('config stores secrets in the secret store, shows them only as <set>, and refuses bad --set', async () => {
    const envFile = join(localHome, 'home/default/.config/env/demo.env.json');
    const set = await local([
      'capsule',
      'config',
      'demo',
      '--set',
      'REGION=eu',
      '--set',
      'API_KEY=s3cret',
    ]);
    expect(set.code).toBe(0);
    expect(set.stdout).toBe(
      '✓ Set REGION for demo\n✓ Stored API_KEY for demo in the secret store\n',
    );
    expect(JSON.parse(readFileSync(envFile, 'utf8'))).toEqual({ REGION: 'eu' });
    expect(readFileSync(join(localHome, 'secrets/__host__/demo/API_KEY'), 'utf8')).toBe('s3cret');

    const [show, json, undeclared, malformed, badChoice] = await Promise.all([
      local(['capsule', 'config', 'demo', '--show']),
      local(['capsule', 'config', 'demo', '--format', 'json']),
      local(['capsule', 'config', 'demo', '--set', 'REGON=eu']),
      local(['capsule', 'config', 'demo', '--set', 'REGION']),
      local(['capsule', 'config', 'nope', '--set', 'A=b']),
    ]);
    expect(show.stdout).toBe(
      [
        'KEY      TYPE    VALUE  SOURCE',
        'API_KEY  secret  <set>  secret store',
        'LANG     text    en     default',
        'REGION   text    eu     env file',
        '',
      ].join('\n'),
    );
    const parsed = JSON.parse(json.stdout);
    expect(parsed).toMatchObject({ capsule: 'demo', agent: null, env_file: envFile });
    expect(parsed.entries[0]).toEqual({
      key: 'API_KEY',
      type: 'secret',
      secret: true,
      declared: true,
      value: '<set>',
      source: 'secret-store',
      needs_value: false,
    });
    for (const r of [show, json]) expect(r.stdout).not.toContain('s3cret');
    expect(undeclared.code).toBe(1);
    expect(undeclared.stderr).toBe(
      '✗ error: demo does not declare REGON in [env] (declared: API_KEY, LANG, REGION)\n',
    );
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('--set "REGION" is not KEY=VALUE');
    expect(badChoice.code).toBe(1);
    expect(badChoice.stderr).toContain("Capsule 'nope' is not installed");
    expect(JSON.parse(readFileSync(envFile, 'utf8'))).toEqual({ REGION: 'eu' });
  });

  it('remove protects a sole provider, and --purge deletes env and secrets but never blobs', async () => {
    const blocked = await local(['capsule', 'remove', 'demo']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toBe(
      "✗ error: Cannot remove 'demo': it is the sole provider of 'test/greet' which is required by 'consumer'. Use --force to remove it anyway.\n",
    );
    const consumer = await local(['capsule', 'remove', 'consumer']);
    expect(consumer.code).toBe(0);
    expect(consumer.stdout).toContain('✓ Removed consumer\n');

    const meta = JSON.parse(
      readFileSync(join(localHome, 'home/default/.local/capsules/demo/meta.json'), 'utf8'),
    );
    const purge = await local(['capsule', 'remove', 'demo', '--purge', '--format', 'json']);
    expect(purge.code).toBe(0);
    const envFile = join(localHome, 'home/default/.config/env/demo.env.json');
    expect(JSON.parse(purge.stdout)).toEqual({
      capsule: 'demo',
      removed_dir: join(localHome, 'home/default/.local/capsules/demo'),
      via: 'local',
      purged: [envFile, join(localHome, 'secrets/__host__/demo')],
    });
    expect(existsSync(envFile)).toBe(false);
    expect(existsSync(join(localHome, 'secrets/__host__/demo'))).toBe(false);
    expect(existsSync(join(localHome, 'bin', `${meta.wasm_hash}.wasm`))).toBe(true);
    const again = await local(['capsule', 'remove', 'demo']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("✗ error: Capsule 'demo' is not installed.\n");
  });

  it('refuses bad directories, missing paths and network sources (exit 1)', async () => {
    const bad = await tempDir();
    await writeFile(join(bad, 'Capsule.toml'), '[package]\nname = "x"\n');
    const rust = await tempDir();
    await writeFile(join(rust, 'Cargo.toml'), '[package]\nname = "x"\n');
    const [manifest, cargo, missing, network, github] = await Promise.all([
      local(['capsule', 'install', bad]),
      local(['capsule', 'install', rust]),
      local(['capsule', 'install', join(bad, 'nope.capsule')]),
      local(['capsule', 'install', '@unicity-astrid/capsule-cli']),
      local(['capsule', 'install', 'https://github.com/org/repo']),
    ]);
    expect(manifest.code).toBe(1);
    expect(manifest.stderr).toContain(
      `✗ error: invalid manifest ${bad}/Capsule.toml:\n  [package] version: is required`,
    );
    expect(cargo.code).toBe(1);
    expect(cargo.stderr).toContain('is a Rust project without a Capsule.toml');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `✗ error: Source path does not exist: ${join(bad, 'nope.capsule')}\n`,
    );
    expect(network.code).toBe(1);
    expect(network.stderr).toBe(
      '✗ error: @unicity-astrid/capsule-cli is a network source; astrid capsule install takes only a local directory or .capsule file. To install it, download its .capsule release asset from https://github.com/unicity-astrid/capsule-cli/releases (or git clone https://github.com/unicity-astrid/capsule-cli), then run astrid capsule install <file.capsule or directory>\n',
    );
    expect(github.code).toBe(1);
    expect(github.stderr).toContain('is a network source');
    expect(existsSync(join(localHome, 'home/default/.local/capsules/x'))).toBe(false);
  });

  it('without a daemon, refuses a capsule whose install hook only the daemon can run (rolled back)', async () => {
    const hooked = await capsuleSource({
      name: 'hooked',
      wasm: Buffer.from(
        await componentFromWat(
          '(module (func (export "astrid-install")))',
          'package test:life;\nworld life {\n  export astrid-install: func();\n}\n',
          'life',
        ),
      ),
    });
    const r = await local(['capsule', 'install', hooked]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      '✗ error: hooked has an astrid-install hook, which runs inside the daemon: start it (astrid start) and run the install again\n',
    );
    expect(existsSync(join(localHome, 'home/default/.local/capsules/hooked'))).toBe(false);
  });
});

describe('astrid capsule verbs with the daemon running', { timeout: 30_000 }, () => {
  it('installs through the kernel (loaded live), upgrades, and removes (unloading)', async () => {
    const r = await live(['capsule', 'install', archive, '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ Installed demo 1.0.0\n');
    expect(r.stdout).toContain('i demo is loaded in the running daemon\n');
    expect(r.stdout).toContain(
      'i demo needs REGION: set it with astrid capsule config demo --set REGION=VALUE\n',
    );
    expect(r.stderr).toContain('· installing through the running daemon');

    const listed = await live(['capsule', 'list', '--format', 'json']);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ name: 'demo', version: '1.0.0', state: 'ready', interceptors: 1 }),
    ]);

    // Setting a global value reloads the loaded capsule.
    const set = await live(['capsule', 'config', 'demo', '--set', 'REGION=eu']);
    expect(set.stdout).toBe('✓ Set REGION for demo\ni reloaded demo in the running daemon\n');

    const upgraded = await live(['capsule', 'install', source, '--format', 'json']);
    expect(upgraded).toMatchObject({ code: 0 });
    expect(JSON.parse(upgraded.stdout)).toMatchObject({
      capsule: 'demo',
      phase: 'upgrade',
      previous_version: '1.0.0',
      via: 'daemon',
      loaded: true,
      needs_config: ['API_KEY'],
    });

    const removed = await live(['capsule', 'remove', 'demo']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('✓ Removed demo (unloaded from the running daemon)\n');
    const after = await live(['capsule', 'list', '--format', 'json']);
    expect(JSON.parse(after.stdout)).toEqual([]);
  });

  it('a principal without capsule capabilities is refused by the kernel (exit 1)', async () => {
    const admin = await daemon.connect();
    await admin.admin('AgentCreate', { name: 'viewer', groups: ['restricted'] });
    await admin.close();
    const context = join(daemon.home, 'run', 'cli-context.toml');
    writeFileSync(context, 'active_agent = "viewer"\n');
    try {
      const [listed, installed] = await Promise.all([
        live(['capsule', 'list']),
        live(['capsule', 'install', archive, '--yes']),
      ]);
      for (const r of [listed, installed]) {
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/^✗ error: .*self:capsule:(list|install)/m);
        expect(r.stderr).toContain('hint: the active agent lacks this capability');
      }
      expect(existsSync(join(daemon.home, 'home/default/.local/capsules/demo'))).toBe(false);
    } finally {
      rmSync(context, { force: true });
    }
  });
});
