import { access, readdir, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { capsuleSource } from '../../../test/helpers/capsule-source.js';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { isAstridError } from '../../core/errors.js';
import { AstridHome } from '../../storage/home/astrid-home.js';
import { installFromDirectory } from './install-capsule.js';
import { removeCapsule } from './remove-capsule.js';

async function newHome(): Promise<AstridHome> {
  const home = new AstridHome(await tempDir());
  await home.ensure();
  return home;
}

const gone = (p: string) =>
  access(p).then(
    () => false,
    () => true,
  );

describe('removeCapsule', () => {
  it('removes the capsule directory but never the content-addressed blobs', async () => {
    const home = await newHome();
    const out = await installFromDirectory(
      await capsuleSource({ files: { 'wit/a.wit': 'package a:b;' } }),
      home,
    );
    const blobs = await readdir(home.binDir);
    const wits = await readdir(home.witDir);
    const removed = await removeCapsule('demo', home);
    expect(removed.removedDir).toBe(out.targetDir);
    expect(await gone(out.targetDir)).toBe(true);
    expect(await readdir(home.binDir)).toEqual(blobs);
    expect(await readdir(home.witDir)).toEqual(wits);
  });

  it('keeps the env file unless --purge', async () => {
    const home = await newHome();
    const out = await installFromDirectory(await capsuleSource(), home);
    await writeFile(out.envPath, '{}');
    await removeCapsule('demo', home);
    expect(await gone(out.envPath)).toBe(false);
    await installFromDirectory(await capsuleSource(), home);
    const purged = await removeCapsule('demo', home, { purge: true });
    expect(purged.purgedEnv).toBe(out.envPath);
    expect(await gone(out.envPath)).toBe(true);
  });

  it('refuses an unknown capsule and an invalid name', async () => {
    const home = await newHome();
    const err = await removeCapsule('nope', home).catch((e) => e);
    expect(isAstridError(err, 'not-found')).toBe(true);
    expect(err.message).toBe("Capsule 'nope' is not installed.");
    await expect(removeCapsule('../etc', home)).rejects.toThrow(/invalid capsule name/);
  });

  it('blocks removing the sole provider of an imported interface unless forced', async () => {
    const home = await newHome();
    await installFromDirectory(
      await capsuleSource({ name: 'provider', extraToml: '[exports]\n"acme:x" = "1.0.0"\n' }),
      home,
    );
    await installFromDirectory(
      await capsuleSource({ name: 'consumer', extraToml: '[imports]\n"acme:x" = "^1"\n' }),
      home,
    );
    const err = await removeCapsule('provider', home).catch((e) => e);
    expect(isAstridError(err, 'conflict')).toBe(true);
    expect(err.message).toContain("sole provider of 'acme/x' which is required by 'consumer'");
    await installFromDirectory(
      await capsuleSource({ name: 'second', extraToml: '[exports]\n"acme:x" = "2.0.0"\n' }),
      home,
    );
    await expect(removeCapsule('provider', home)).resolves.toMatchObject({ capsule: 'provider' });
    await expect(removeCapsule('second', home)).rejects.toThrow(/sole provider/);
    await expect(removeCapsule('second', home, { force: true })).resolves.toMatchObject({
      capsule: 'second',
    });
  });
});
