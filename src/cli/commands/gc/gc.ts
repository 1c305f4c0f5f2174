import { lstat, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { META_FILE, readCapsuleMeta } from '../../../capsule/install/capsule-meta.js';
import { MANIFEST_FILE } from '../../../capsule/manifest/load-manifest.js';
import { AstridError } from '../../../core/errors.js';
import type { AstridHome } from '../../../storage/home/astrid-home.js';
import { type OutputFormat, printStructured, say } from '../../output.js';
import { renderTable } from '../../render/table.js';
import type { CliSession } from '../../session/cli-session.js';
import { humanBytes } from '../capsule/human-bytes.js';
import { type InstalledRef, planGc, type StoreEntry } from './gc-plan.js';

const HEX = '[0-9a-f]{64}';

async function names(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

async function treeBytes(path: string): Promise<number> {
  const info = await lstat(path);
  if (!info.isDirectory()) return info.size;
  let n = 0;
  for (const name of await readdir(path)) n += await treeBytes(join(path, name));
  return n;
}

/** Every entry of the content stores: `bin/*.wasm`, `wit/*.wit`, `lib/<hash>/`, and temps left by interrupted writes. */
async function storeEntries(home: AstridHome): Promise<StoreEntry[]> {
  const out: StoreEntry[] = [];
  const scan = async (dir: string, ext: string, kind: 'wasm' | 'wit') => {
    const blob = new RegExp(`^(${HEX})\\${ext}$`);
    const temp = new RegExp(`^${HEX}\\.tmp\\.[0-9a-f]+$`);
    for (const name of await names(dir)) {
      const path = join(dir, name);
      const info = await lstat(path);
      if (!info.isFile()) continue;
      const m = blob.exec(name);
      if (m !== null)
        out.push({ kind, path, hash: m[1] as string, bytes: info.size, mtimeMs: info.mtimeMs });
      else if (temp.test(name))
        out.push({ kind: 'temp', path, hash: null, bytes: info.size, mtimeMs: info.mtimeMs });
    }
  };
  await scan(home.binDir, '.wasm', 'wasm');
  await scan(home.witDir, '.wit', 'wit');
  const artifact = new RegExp(`^(${HEX})$`);
  const building = new RegExp(`^\\.${HEX}\\.tmp\\.[0-9a-f]+$`);
  for (const name of await names(home.libDir)) {
    const path = join(home.libDir, name);
    const info = await lstat(path);
    if (!info.isDirectory()) continue;
    const m = artifact.exec(name);
    if (m !== null || building.test(name)) {
      out.push({
        kind: m === null ? 'temp' : 'artifacts',
        path,
        hash: m === null ? null : (m[1] as string),
        bytes: await treeBytes(path),
        mtimeMs: info.mtimeMs,
      });
    }
  }
  return out;
}

/**
 * Every installed capsule directory that may reference blobs: each
 * principal's `.local/capsules/*` (including an upgrade's `.bak` copy, which
 * a rollback restores) and the workspace's `.astrid/capsules/*`.
 */
async function installedRefs(home: AstridHome, cwd: string): Promise<InstalledRef[]> {
  const roots = [join(resolve(cwd), '.astrid', 'capsules')];
  // Every directory under home/, whatever its name: a blob must not look orphaned
  // because its owner's directory name is unusual.
  for (const principal of await names(home.path('home')))
    roots.push(join(home.path('home', principal), '.local', 'capsules'));
  const out: InstalledRef[] = [];
  for (const root of roots) {
    for (const name of await names(root)) {
      const dir = join(root, name);
      if (!(await stat(dir).catch(() => null))?.isDirectory()) continue;
      const marker = await Promise.all(
        [MANIFEST_FILE, META_FILE].map((f) => stat(join(dir, f)).catch(() => null)),
      );
      if (marker.every((m) => m === null)) continue;
      out.push({ dir, meta: await readCapsuleMeta(dir) });
    }
  }
  return out;
}

/** `astrid gc [--force] [--format]`: lists (dry run) or deletes content-store entries nothing references. */
export async function gc(
  session: CliSession,
  flags: { force: boolean; format: OutputFormat },
): Promise<number> {
  const io = session.io;
  const home = session.home;
  const plan = planGc(
    await storeEntries(home),
    await installedRefs(home, process.cwd()),
    Date.now(),
  );
  if (flags.force && plan.unreadable.length > 0) {
    throw new AstridError(
      'integrity',
      `cannot tell which blobs ${plan.unreadable.join(', ')} use${plan.unreadable.length === 1 ? 's' : ''} (no readable meta.json), so nothing was deleted; reinstall or remove ${plan.unreadable.length === 1 ? 'that capsule' : 'those capsules'} first`,
    );
  }
  const deleted: string[] = [];
  if (flags.force) {
    for (const o of plan.orphans) {
      await rm(o.path, { recursive: true, force: true });
      deleted.push(o.path);
    }
  }
  if (flags.format !== 'pretty') {
    printStructured(
      io,
      {
        dry_run: !flags.force,
        orphans: plan.orphans.map((o) => ({
          kind: o.kind,
          path: o.path,
          hash: o.hash,
          bytes: o.bytes,
        })),
        total_bytes: plan.totalBytes,
        deleted,
        skipped_recent: plan.recent.length,
        unreadable: plan.unreadable,
      },
      flags.format,
    );
    return 0;
  }
  for (const dir of plan.unreadable)
    say.warn(io, `${dir} has no readable meta.json; gc cannot tell which blobs it uses`);
  if (plan.recent.length > 0)
    say.info(
      io,
      `skipped ${plan.recent.length} unreferenced entr${plan.recent.length === 1 ? 'y' : 'ies'} younger than 15 minutes (an install may still be writing them)`,
    );
  if (plan.orphans.length === 0) {
    say.ok(
      io,
      `nothing to collect (${plan.referenced} referenced entr${plan.referenced === 1 ? 'y' : 'ies'} kept)`,
    );
    return 0;
  }
  io.out(
    renderTable(
      ['KIND', 'SIZE', 'PATH'],
      plan.orphans.map((o) => [o.kind, humanBytes(o.bytes), o.path]),
    ),
  );
  const what = `${plan.orphans.length} unreferenced entr${plan.orphans.length === 1 ? 'y' : 'ies'}`;
  if (flags.force) say.ok(io, `Deleted ${what}, freed ${humanBytes(plan.totalBytes)}`);
  else
    say.info(io, `${what}, ${humanBytes(plan.totalBytes)}; run astrid gc --force to delete them`);
  return 0;
}
