import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { listInstalledCapsules } from '../../../capsule/install/installed-capsules.js';
import { loadManifest, MANIFEST_FILE } from '../../../capsule/manifest/load-manifest.js';
import type { AstridHome } from '../../../storage/home/astrid-home.js';
import { type OutputFormat, printStructured, say } from '../../output.js';
import { renderTable } from '../../render/table.js';
import type { CliSession } from '../../session/cli-session.js';
import { daemonClient } from './daemon-link.js';
import { capsuleSearchRoots } from './installed-capsule.js';
import { type InstalledEntry, listRows } from './list-rows.js';

/** Installed capsules on disk, in the daemon's discovery order (global installs, then the workspace's). */
export async function installedEntries(home: AstridHome, cwd: string): Promise<InstalledEntry[]> {
  const out: InstalledEntry[] = [];
  for (const c of await listInstalledCapsules(capsuleSearchRoots(home, cwd))) {
    if (c.meta !== null) {
      out.push({ id: c.id, dir: c.dir, version: c.meta.version });
      continue;
    }
    if (!(await stat(join(c.dir, MANIFEST_FILE)).catch(() => null))?.isFile()) continue;
    const version = await loadManifest(c.dir)
      .then((m) => m.manifest.package.version)
      .catch(() => null);
    out.push({ id: c.id, dir: c.dir, version });
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `astrid capsule list [-v] [--format]`. */
export async function capsuleList(
  session: CliSession,
  flags: { verbose: boolean; format: OutputFormat },
): Promise<number> {
  const io = session.io;
  const client = await daemonClient(session);
  let kernelRows: Record<string, unknown>[] | null = null;
  if (client !== null) {
    const body = await client.kernel('ListCapsules', { verbose: true });
    kernelRows = Array.isArray(body.data) ? (body.data as unknown[]).filter(isObject) : [];
  }
  const rows = listRows(kernelRows, await installedEntries(session.home, process.cwd()));
  if (flags.format !== 'pretty') {
    printStructured(io, rows, flags.format);
    return 0;
  }
  if (rows.length === 0) {
    say.info(
      io,
      'no capsules installed (install one with astrid capsule install <dir | file.capsule>)',
    );
    return 0;
  }
  const headers = flags.verbose
    ? ['NAME', 'VERSION', 'STATE', 'INSTANCES', 'INTERCEPTORS', 'DIR']
    : ['NAME', 'VERSION', 'STATE'];
  io.out(
    renderTable(
      headers,
      rows.map((r) => {
        const base = [r.name, r.version ?? '?', r.state];
        if (!flags.verbose) return base;
        return [
          ...base,
          r.instances === undefined ? '-' : String(r.instances),
          r.interceptors === undefined ? '-' : String(r.interceptors),
          r.dir ?? '-',
        ];
      }),
    ),
  );
  for (const r of rows)
    if (r.reason !== undefined) say.warn(io, `${r.name} failed to load: ${r.reason}`);
  if (client === null)
    say.info(io, 'the daemon is not running; states are from the installed files');
  return 0;
}
