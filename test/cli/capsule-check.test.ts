import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capsuleSource } from '../helpers/capsule-source.js';
import { runAstrid } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('astrid capsule check', () => {
  it('prints ✓ name version and exits 0 for a valid capsule', async () => {
    const dir = await capsuleSource({ name: 'weather', version: '1.2.0' });
    const r = await runAstrid(['capsule', 'check', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('✓ weather 1.2.0\n');
    expect(r.stderr).toBe('');
  });

  it('prints warnings and still exits 0', async () => {
    const dir = await capsuleSource({ extraToml: '[[interceptor]]\nevent = "a.b"\n' });
    const r = await runAstrid(['capsule', 'check', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ demo 1.0.0');
    expect(r.stderr).toMatch(/^! \[\[interceptor\]\]: is a legacy table/m);
  });

  it('prints each error on its own line and exits 1', async () => {
    const dir = await tempDir();
    await writeFile(
      join(dir, 'Capsule.toml'),
      '[package]\nname = "Bad_Name"\nversion = "1.0"\n[subscribe]\n"a..b" = "opaque"\n',
    );
    const r = await runAstrid(['capsule', 'check', dir]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^✗ \[package\] name: /);
    expect(lines[1]).toMatch(/^✗ \[package\] version: "1.0" is not a full semantic version/);
    expect(lines[2]).toMatch(/^✗ \[subscribe\] "a..b": /);
    expect(r.stdout).toBe('');
  });

  it('--format json prints { ok, errors, warnings, manifest }', async () => {
    const good = await capsuleSource({ extraToml: '[imports]\n"astrid:session" = "^1.0"\n' });
    const ok = await runAstrid(['capsule', 'check', good, '--format', 'json']);
    expect(ok.code).toBe(0);
    const parsed = JSON.parse(ok.stdout);
    expect(parsed.ok).toBe(true);
    expect(parsed.errors).toEqual([]);
    expect(parsed.manifest.package.name).toBe('demo');
    expect(parsed.manifest.imports).toEqual([
      { namespace: 'astrid', interface: 'session', requirement: '^1.0', optional: false },
    ]);

    const bad = await tempDir();
    await writeFile(join(bad, 'Capsule.toml'), '[package]\nname = "x"\n');
    const r = await runAstrid(['capsule', 'check', bad, '--format', 'JSON']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: false, manifest: null, warnings: [] });
    expect(out.errors).toEqual([
      {
        code: 'required-key-missing',
        table: '[package]',
        key: 'version',
        message: 'is required; write version = "1.0.0"',
      },
    ]);
  });

  it('reports a missing Capsule.toml and TOML syntax errors with a line number', async () => {
    const empty = await tempDir();
    const missing = await runAstrid(['capsule', 'check', empty]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No Capsule.toml found in');
    await writeFile(join(empty, 'Capsule.toml'), '[package\nname = 1');
    const syntax = await runAstrid(['capsule', 'check', empty]);
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(/not valid TOML: line 1/);
  });

  it('exits 2 on a usage error and 0 on --version', async () => {
    expect((await runAstrid(['capsule', 'frobnicate'])).code).toBe(2);
    const v = await runAstrid(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe('0.8.0');
  });
});
