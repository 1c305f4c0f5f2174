import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFromDirectory } from '../../src/capsule/install/install-capsule.js';
import { AstridHome } from '../../src/storage/home/astrid-home.js';
import { capsuleSource } from '../helpers/capsule-source.js';
import { componentFromWat } from '../helpers/components.js';
import { type DaemonProcess, newHome, startDaemon } from '../helpers/daemon-process.js';
import { ECHO_HOOK_WAT, ECHO_HOOK_WORLD } from '../helpers/guests.js';
import { runAstrid } from '../helpers/run-cli.js';
import { fileTempDir, tempDir } from '../helpers/temp-dir.js';

let daemon: DaemonProcess;
let workspace: string;
let keeperHash: string;
let keeperWit: string;

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runAstrid(args, { ASTRID_HOME: daemon.home, ...env });

/** A file in the `scribe` capsule's overlay, as its writes through the workspace mount land. */
function overlayWrite(rel: string, content: string): void {
  const path = join(daemon.home, 'var', 'overlays', 'scribe', 'upper', rel);
  rmSync(path, { force: true });
  writeFileSync(path, content);
}

beforeAll(async () => {
  const homePath = await newHome('file');
  const home = new AstridHome(homePath);
  await home.ensure();
  // An installed capsule whose component and WIT blobs gc must keep.
  const wasm = await componentFromWat(ECHO_HOOK_WAT, ECHO_HOOK_WORLD, 'echo');
  const out = await installFromDirectory(
    await capsuleSource({
      name: 'keeper',
      wasm: Buffer.from(wasm),
      files: { 'wit/world.wit': 'package test:keeper;\nworld keeper {}\n' },
    }),
    home,
  );
  keeperHash = out.wasmHash as string;
  const meta = JSON.parse(readFileSync(join(out.targetDir, 'meta.json'), 'utf8'));
  keeperWit = meta.wit_files['world.wit'];

  workspace = await fileTempDir('astrid-ws-');
  await writeFile(join(workspace, 'README.md'), 'original\n');
  await writeFile(join(workspace, 'old.txt'), 'to be deleted\n');
  const upper = join(homePath, 'var', 'overlays', 'scribe', 'upper');
  await mkdir(join(upper, 'notes'), { recursive: true });
  await writeFile(join(upper, 'README.md'), 'edited by scribe\n');
  await writeFile(join(upper, 'notes', 'today.md'), 'hello\n');
  await writeFile(
    join(homePath, 'var', 'overlays', 'scribe', 'state.json'),
    JSON.stringify({ whiteouts: ['old.txt'], opaque: [] }),
  );
  daemon = await startDaemon({ home: homePath, args: ['--workspace', workspace] });
}, 60_000);

afterAll(async () => {
  await daemon?.stop();
});

describe('astrid workspace', { timeout: 30_000 }, () => {
  it('diff lists pending changes, for one capsule or all, pretty and JSON', async () => {
    const [all, one, none] = await Promise.all([
      cli(['workspace', 'diff']),
      cli(['workspace', 'diff', 'scribe', '--format', 'json']),
      cli(['workspace', 'diff', 'nope']),
    ]);
    expect(all).toMatchObject({ code: 0, stderr: '' });
    expect(all.stdout).toBe(
      'scribe: 4 changes\n  M  README.md\n  A  notes/\n  A  notes/today.md\n  D  old.txt\n',
    );
    expect(JSON.parse(one.stdout)).toEqual({
      capsule: 'scribe',
      changes: [
        { path: 'README.md', kind: 'modified', type: 'file' },
        { path: 'notes', kind: 'added', type: 'directory' },
        { path: 'notes/today.md', kind: 'added', type: 'file' },
        { path: 'old.txt', kind: 'deleted', type: 'file' },
      ],
    });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /^✗ error: (kernel rejected request: )?capsule nope is not loaded and has no pending workspace changes\n$/,
    );
  });

  it('commit refuses without a terminal unless -y, then applies the changes', async () => {
    const refused = await cli(['workspace', 'commit', 'scribe']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      '✗ error: refusing to commit without confirmation: stdin is not a terminal (pass -y to commit anyway)\n',
    );
    expect(readFileSync(join(workspace, 'README.md'), 'utf8')).toBe('original\n');

    const done = await cli(['workspace', 'commit', 'scribe', '-y']);
    expect(done.code).toBe(0);
    expect(done.stdout).toBe(
      '✓ Applied 4 changes from scribe to the workspace\n  M  README.md\n  A  notes/\n  A  notes/today.md\n  D  old.txt\n',
    );
    expect(readFileSync(join(workspace, 'README.md'), 'utf8')).toBe('edited by scribe\n');
    expect(readFileSync(join(workspace, 'notes', 'today.md'), 'utf8')).toBe('hello\n');
    expect(existsSync(join(workspace, 'old.txt'))).toBe(false);
    const clean = await cli(['workspace', 'diff', 'scribe']);
    expect(clean.stdout).toBe('✓ scribe has no pending workspace changes\n');
  });

  it('discard drops pending changes without touching the workspace', async () => {
    overlayWrite('draft.txt', 'scratch\n');
    const refused = await cli(['workspace', 'discard', 'scribe']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refusing to discard without confirmation');
    const r = await cli(['workspace', 'discard', 'scribe', '-y', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ capsule: 'scribe', discarded: 1 });
    expect(existsSync(join(workspace, 'draft.txt'))).toBe(false);
    const pretty = await cli(['workspace', 'discard', 'scribe', '-y']);
    expect(pretty.stdout).toBe('i scribe has no pending workspace changes\n');
  });

  it('needs the capability and the daemon (exit 1)', async () => {
    const admin = await daemon.connect();
    await admin.admin('AgentCreate', { name: 'outsider', groups: ['restricted'] });
    await admin.close();
    const context = join(daemon.home, 'run', 'cli-context.toml');
    writeFileSync(context, 'active_agent = "outsider"\n');
    try {
      const denied = await cli(['workspace', 'diff', 'scribe']);
      expect(denied.code).toBe(1);
      expect(denied.stderr).toMatch(/^✗ error: .*self:capsule:install/);
      expect(denied.stderr).toContain('hint: the active agent lacks this capability');
    } finally {
      rmSync(context, { force: true });
    }
    const down = await runAstrid(['workspace', 'diff'], { ASTRID_HOME: await newHome() });
    expect(down.code).toBe(1);
    expect(down.stderr).toBe(
      '✗ error: Failed to connect to Astrid daemon. Run `astrid start` to launch it.\n',
    );
  });
});

describe('astrid config', { timeout: 30_000 }, () => {
  it('show annotates each value with its source; JSON and --section', async () => {
    const [pretty, env, json, section, unknown] = await Promise.all([
      cli(['config', 'show']),
      cli(['config', 'show', '--format', 'toml'], { ASTRID_LOG_LEVEL: 'debug' }),
      cli(['config', 'show', '--format', 'json']),
      cli(['config', 'show', '--section', 'daemon', '--format', 'json']),
      cli(['config', 'show', '--section', 'model']),
    ]);
    expect(pretty.code).toBe(0);
    expect(pretty.stdout).toContain(
      '[logging]\nlevel = "info"  # [defaults]\nformat = "compact"  # [defaults]\n',
    );
    expect(pretty.stdout).toMatch(
      /# instance_pool_size: unset: derived from this host \(\d+\) {2}# \[defaults\]/,
    );
    expect(env.stdout).toContain('level = "debug"  # [environment variable ASTRID_LOG_LEVEL]');
    expect(parseToml(env.stdout)).toMatchObject({
      logging: { level: 'debug' },
      daemon: { watch: false },
    });
    expect(JSON.parse(json.stdout)).toEqual({
      logging: { level: 'info', format: 'compact' },
      capsule: {
        host_blocking_concurrency: null,
        host_io_concurrency: null,
        instance_pool_size: null,
      },
      daemon: { idle_timeout_secs: null, watch: false },
      network: { airlock_exceptions: [] },
    });
    expect(JSON.parse(section.stdout)).toEqual({
      daemon: { idle_timeout_secs: null, watch: false },
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      '✗ error: unknown config section "model" (sections: logging, capsule, daemon, network)\n',
    );
  });

  it('path names the file the daemon reads and the variables it honours', async () => {
    const file = join(daemon.home, 'etc', 'config.toml');
    const [pretty, json] = await Promise.all([
      cli(['config', 'path']),
      cli(['config', 'path', '--format', 'json'], { ASTRID_LOG_LEVEL: 'warn' }),
    ]);
    expect(pretty.code).toBe(0);
    expect(pretty.stdout).toContain(
      `Config files read by astrid-daemon:\n  ${file}  (not found)\n`,
    );
    expect(pretty.stdout).toMatch(
      /ASTRID_CAPSULE_INSTANCE_POOL_SIZE +capsule\.instance_pool_size +\(not set\)/,
    );
    const parsed = JSON.parse(json.stdout);
    expect(parsed.files).toEqual([{ path: file, found: false }]);
    expect(parsed.env).toContainEqual({
      name: 'ASTRID_LOG_LEVEL',
      key: 'logging.level',
      value: 'warn',
    });
    expect(parsed.env).toContainEqual({
      name: 'ASTRID_HOME',
      key: '(the Astrid home)',
      value: daemon.home,
    });
  });

  it('edit creates the file from a template, runs $EDITOR and validates; an invalid edit is kept and exits 1', async () => {
    const file = join(daemon.home, 'etc', 'config.toml');
    const scripts = await tempDir();
    const good = join(scripts, 'good.sh');
    await writeFile(good, '#!/bin/sh\nprintf \'\\n[daemon]\\nwatch = true\\n\' >> "$1"\n');
    const bad = join(scripts, 'bad.sh');
    await writeFile(bad, '#!/bin/sh\nprintf \'\\n[logging]\\nlevell = "debug"\\n\' >> "$1"\n');
    await Promise.all([chmod(good, 0o755), chmod(bad, 0o755)]);

    const r = await cli(['config', 'edit'], { EDITOR: good, VISUAL: '' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `i created ${file} from a commented template`,
        `✓ ${file} is valid`,
        'i the daemon reads its configuration when it starts: restart it to apply the changes (astrid restart)',
        '',
      ].join('\n'),
    );
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# Astrid daemon configuration: /);
    expect(text.endsWith('\n[daemon]\nwatch = true\n')).toBe(true);
    const [shown, path] = await Promise.all([
      cli(['config', 'show', '--section', 'daemon']),
      cli(['config', 'path']),
    ]);
    expect(shown.stdout).toContain(`watch = true  # [file (${file})]`);
    expect(path.stdout).toContain(`  ${file}  (found)\n`);

    // $VISUAL wins over $EDITOR; this one writes a key the daemon does not know.
    const broken = await cli(['config', 'edit'], { VISUAL: bad, EDITOR: good });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(
      /^✗ error: .*config\.toml: unknown key logging\.levell \(known in \[logging\]: level, format\)\n/,
    );
    expect(broken.stderr).toContain(
      `hint: ${file} was kept as written; run astrid config edit again to fix it`,
    );
    expect(readFileSync(file, 'utf8')).toContain('levell = "debug"');
    rmSync(file);
  });
});

describe('astrid gc', { timeout: 30_000 }, () => {
  it('lists unreferenced blobs (dry run), keeps referenced and recent ones, deletes with --force', async () => {
    const old = Date.now() / 1000 - 3600;
    const orphanWasm = join(daemon.home, 'bin', `${'a'.repeat(64)}.wasm`);
    const orphanWit = join(daemon.home, 'wit', `${'b'.repeat(64)}.wit`);
    const fresh = join(daemon.home, 'wit', `${'c'.repeat(64)}.wit`);
    const keptWasm = join(daemon.home, 'bin', `${keeperHash}.wasm`);
    const keptWit = join(daemon.home, 'wit', `${keeperWit}.wit`);
    writeFileSync(orphanWasm, Buffer.alloc(2048));
    writeFileSync(orphanWit, 'package x:y;\n');
    writeFileSync(fresh, 'package x:z;\n');
    for (const p of [orphanWasm, orphanWit, keptWasm, keptWit]) utimesSync(p, old, old);

    const [dry, json] = await Promise.all([cli(['gc']), cli(['gc', '--format', 'json'])]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(
      [
        'i skipped 1 unreferenced entry younger than 15 minutes (an install may still be writing them)',
        'KIND  SIZE    PATH',
        `wasm  2.0 kB  ${orphanWasm}`,
        `wit   13 B    ${orphanWit}`,
        'i 2 unreferenced entries, 2.1 kB; run astrid gc --force to delete them',
        '',
      ].join('\n'),
    );
    expect(JSON.parse(json.stdout)).toEqual({
      dry_run: true,
      orphans: [
        { kind: 'wasm', path: orphanWasm, hash: 'a'.repeat(64), bytes: 2048 },
        { kind: 'wit', path: orphanWit, hash: 'b'.repeat(64), bytes: 13 },
      ],
      total_bytes: 2061,
      deleted: [],
      skipped_recent: 1,
      unreadable: [],
    });
    expect(existsSync(orphanWasm)).toBe(true);

    const forced = await cli(['gc', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('✓ Deleted 2 unreferenced entries, freed 2.1 kB\n');
    for (const p of [orphanWasm, orphanWit]) expect(existsSync(p)).toBe(false);
    for (const p of [keptWasm, keptWit, fresh]) expect(existsSync(p)).toBe(true);
    const again = await cli(['gc']);
    expect(again.stdout).toContain('✓ nothing to collect');
  });

  it('refuses --force while a capsule has no readable meta.json (nothing deleted)', async () => {
    const orphan = join(daemon.home, 'bin', `${'d'.repeat(64)}.wasm`);
    writeFileSync(orphan, 'x');
    const old = Date.now() / 1000 - 3600;
    utimesSync(orphan, old, old);
    const stray = join(daemon.home, 'home', 'default', '.local', 'capsules', 'stray');
    await mkdir(stray, { recursive: true });
    await writeFile(join(stray, 'Capsule.toml'), '[package]\nname = "stray"\nversion = "1.0.0"\n');
    try {
      const r = await cli(['gc', '--force']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `✗ error: cannot tell which blobs ${stray} uses (no readable meta.json), so nothing was deleted; reinstall or remove that capsule first\n`,
      );
      expect(existsSync(orphan)).toBe(true);
    } finally {
      rmSync(stray, { recursive: true, force: true });
      rmSync(orphan, { force: true });
    }
  });
});
