import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wasmLifecycleRunner } from '../../src/capsule/engines/wasm/lifecycle-hook.js';
import { installFromDirectory } from '../../src/capsule/install/install-capsule.js';
import { GroupConfig } from '../../src/core/groups/group-config.js';
import { parsePrincipalId } from '../../src/core/ids/principal-id.js';
import { EventBus } from '../../src/events/event-bus.js';
import { AstridHome } from '../../src/storage/home/astrid-home.js';
import { componentFromJs } from '../helpers/components.js';
import { TableProfiles } from '../helpers/engine-harness.js';
import { snapshotTree } from '../helpers/file-tree.js';
import { LIFE_JS, LIFE_WORLD } from '../helpers/guests.js';
import { tempDir } from '../helpers/temp-dir.js';
import { testServices } from '../helpers/test-services.js';

describe('lifecycle hooks', () => {
  it('runs astrid-install during install, and a failing astrid-upgrade rolls the upgrade back', async () => {
    const home = new AstridHome(await tempDir());
    await home.ensure();
    await home.defaultPrincipal.ensure();
    const lifecycle = wasmLifecycleRunner({
      home,
      bus: new EventBus(),
      owner: parsePrincipalId('default'),
      profiles: new TableProfiles(),
      services: await testServices(home.root, home.varDir),
      groups: () => GroupConfig.builtinsOnly(),
    });
    const component = await componentFromJs(LIFE_JS, LIFE_WORLD, 'life');
    const write = async (version: string) => {
      const src = await tempDir();
      await writeFile(
        join(src, 'Capsule.toml'),
        `[package]\nname = "life"\nversion = "${version}"\n[[component]]\nfile = "life.wasm"\n`,
      );
      await writeFile(join(src, 'life.wasm'), component);
      return src;
    };
    const installed = await installFromDirectory(await write('1.0.0'), home, { lifecycle });
    expect(installed.phase).toBe('install');
    const date = new Date().toISOString().slice(0, 10);
    const log = await readFile(join(home.defaultPrincipal.logDir, 'life', `${date}.log`), 'utf8');
    expect(log).toContain('INFO [life] install hook ran');

    const before = await snapshotTree(installed.targetDir);
    await expect(installFromDirectory(await write('2.0.0'), home, { lifecycle })).rejects.toThrow(
      /lifecycle dispatch failed: wasm trap/,
    );
    expect(await snapshotTree(installed.targetDir)).toEqual(before);
  }, 120_000);
});
