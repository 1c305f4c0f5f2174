import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { recordingLogger } from '../../core/logger.js';
import { parseManifest } from '../manifest/parse-manifest.js';
import { planBoot } from './boot-order.js';
import { discoverCapsules } from './discover-capsules.js';

function manifest(name: string, extra = '') {
  const r = parseManifest(`[package]\nname = "${name}"\nversion = "1.0.0"\n${extra}`);
  if (r.manifest === null) throw new Error(JSON.stringify(r.errors));
  return r.manifest;
}

describe('planBoot', () => {
  it('puts every provider before its consumers in a diamond, ties in input order', () => {
    const d = manifest('d', '[imports.x]\nb = "^1"\nc = "^1"\n');
    const b = manifest('b', '[imports.x]\na = "^1"\n[exports.x]\nb = "1.0.0"\n');
    const c = manifest('c', '[imports.x]\na = "^1"\n[exports.x]\nc = "1.2.0"\n');
    const a = manifest('a', '[exports.x]\na = "1.5.0"\n');
    const plan = planBoot([d, b, c, a]);
    expect(plan.order).toEqual(['a', 'b', 'c', 'd']);
    expect(plan.cycle).toBeNull();
  });

  it('drops a capsule whose required import nobody satisfies and names it; optional imports only inform', () => {
    const a = manifest('a', '[exports.x]\nweather = "1.0.0"\n');
    const b = manifest('b', '[imports.x]\nweather = "^2.0"\n');
    const c = manifest('c', '[imports.x]\nweather = { version = "^3", optional = true }\n');
    const plan = planBoot([a, b, c]);
    expect(plan.order).toEqual(['a', 'c']);
    expect(plan.unsatisfied.get('b' as never)).toBe(
      "capsule 'b' imports x:weather ^2.0, which no installed capsule exports",
    );
    expect(plan.unmetOptional).toEqual(['c → x:weather ^3']);
  });

  it('reports a cycle with every node it blocks and falls back to input order', () => {
    const a = manifest('a', '[imports.x]\nb = "^1"\n[exports.x]\na = "1.0.0"\n');
    const b = manifest('b', '[imports.x]\na = "^1"\n[exports.x]\nb = "1.0.0"\n');
    const c = manifest('c', '[imports.x]\nb = "^1"\n');
    const plan = planBoot([c, a, b]);
    expect(plan.cycle).toEqual(['c', 'a', 'b']);
    expect(plan.order).toEqual(['c', 'a', 'b']);
  });

  it('flags interfaces exported twice', () => {
    const plan = planBoot([
      manifest('a', '[exports.x]\ni = "1.0.0"\n'),
      manifest('b', '[exports.x]\ni = "2.0.0"\n'),
    ]);
    expect(plan.duplicateExports).toEqual([{ iface: 'x/i', capsules: ['a', 'b'] }]);
  });
});

describe('discoverCapsules', () => {
  it('scans roots in priority order, sorted by name; the first copy of a name wins; bad manifests are skipped', async () => {
    const user = await tempDir();
    const workspace = await tempDir();
    const write = (root: string, dir: string, name: string, version = '1.0.0') => {
      mkdirSync(join(root, dir), { recursive: true });
      writeFileSync(
        join(root, dir, 'Capsule.toml'),
        `[package]\nname = "${name}"\nversion = "${version}"\n`,
      );
    };
    write(user, 'zeta', 'zeta');
    write(user, 'alpha', 'alpha');
    write(workspace, 'alpha', 'alpha', '9.0.0');
    write(workspace, 'beta', 'beta');
    mkdirSync(join(workspace, 'broken'));
    writeFileSync(join(workspace, 'broken', 'Capsule.toml'), 'not toml [');
    const logs = recordingLogger();
    const found = await discoverCapsules([user, workspace, join(user, 'missing')], logs);
    expect(found.map((f) => `${f.id}@${f.manifest.package.version}`)).toEqual([
      'alpha@1.0.0',
      'zeta@1.0.0',
      'beta@1.0.0',
    ]);
    expect(
      logs.lines.some((l) => l.message === 'skipping a capsule with an invalid manifest'),
    ).toBe(true);
  });
});
