import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { removeCapsule } from '../../../capsule/install/remove-capsule.js';
import { type CapsuleId, parseCapsuleId } from '../../../core/ids/capsule-id.js';
import type { AstridHome } from '../../../storage/home/astrid-home.js';
import { type OutputFormat, printStructured, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { answerField, daemonClient } from './daemon-link.js';

async function subdirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

async function removeIfPresent(path: string): Promise<boolean> {
  if ((await stat(path).catch(() => null)) === null) return false;
  await rm(path, { recursive: true, force: true });
  return true;
}

/**
 * `--purge` leaves no configuration behind: every principal's env file for
 * the capsule and its secrets in every scope (the remove itself deletes the
 * global env file). Returns what was deleted.
 */
async function purgeConfiguration(home: AstridHome, id: CapsuleId): Promise<string[]> {
  const deleted: string[] = [];
  for (const principal of await subdirs(home.path('home'))) {
    const file = join(home.path('home', principal), '.config', 'env', `${id}.env.json`);
    if (await removeIfPresent(file)) deleted.push(file);
  }
  for (const scope of await subdirs(home.secretsDir)) {
    const dir = join(home.secretsDir, scope, id);
    if (await removeIfPresent(dir)) deleted.push(dir);
  }
  return deleted;
}

/** `astrid capsule remove NAME [--force] [--purge]`: through the daemon when it runs (it unloads first), else on disk. */
export async function capsuleRemove(
  session: CliSession,
  name: string,
  flags: { force: boolean; purge: boolean; format: OutputFormat },
): Promise<number> {
  const io = session.io;
  const id = parseCapsuleId(name);
  const client = await daemonClient(session);
  let removedDir: string;
  let purgedEnv: string | null;
  if (client !== null) {
    const body = await client.kernel('RemoveCapsule', {
      name: id,
      force: flags.force,
      purge: flags.purge,
    });
    const dir = answerField(body.data, 'removed_dir');
    const env = answerField(body.data, 'purged_env');
    removedDir = typeof dir === 'string' ? dir : session.home.defaultPrincipal.capsuleDir(id);
    purgedEnv = typeof env === 'string' ? env : null;
  } else {
    const out = await removeCapsule(id, session.home, { force: flags.force, purge: flags.purge });
    removedDir = out.removedDir;
    purgedEnv = out.purgedEnv;
  }
  const purged = flags.purge ? await purgeConfiguration(session.home, id) : [];
  if (purgedEnv !== null && !purged.includes(purgedEnv)) purged.unshift(purgedEnv);
  if (flags.format !== 'pretty') {
    printStructured(
      io,
      { capsule: id, removed_dir: removedDir, via: client === null ? 'local' : 'daemon', purged },
      flags.format,
    );
    return 0;
  }
  say.ok(io, `Removed ${id}${client === null ? '' : ' (unloaded from the running daemon)'}`);
  say.info(io, `deleted ${removedDir}`);
  for (const p of purged) say.info(io, `purged ${p}`);
  say.info(io, 'component and WIT blobs are kept; astrid gc lists the ones nothing references');
  return 0;
}
