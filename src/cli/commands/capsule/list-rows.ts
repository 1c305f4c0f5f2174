/** One row of `astrid capsule list`. */
export interface CapsuleRow {
  readonly name: string;
  readonly version: string | null;
  /** The daemon's state (`ready`, `failed`, …), or `not loaded` (installed, not running). */
  readonly state: string;
  readonly dir: string | null;
  readonly reason?: string;
  readonly run_loop?: boolean;
  readonly uplink?: boolean;
  readonly instances?: number;
  readonly interceptors?: number;
}

export interface InstalledEntry {
  readonly id: string;
  readonly dir: string;
  readonly version: string | null;
}

export const NOT_LOADED = 'not loaded';

function fromKernel(raw: Record<string, unknown>): CapsuleRow | null {
  if (typeof raw.name !== 'string') return null;
  const row: {
    -readonly [K in keyof CapsuleRow]: CapsuleRow[K];
  } = {
    name: raw.name,
    version: typeof raw.version === 'string' ? raw.version : null,
    state: typeof raw.state === 'string' ? raw.state : 'unknown',
    dir: typeof raw.dir === 'string' && raw.dir !== '' ? raw.dir : null,
  };
  if (typeof raw.reason === 'string') row.reason = raw.reason;
  if (typeof raw.run_loop === 'boolean') row.run_loop = raw.run_loop;
  if (typeof raw.uplink === 'boolean') row.uplink = raw.uplink;
  if (typeof raw.instances === 'number') row.instances = raw.instances;
  if (Array.isArray(raw.interceptors)) row.interceptors = raw.interceptors.length;
  return row;
}

/**
 * The daemon's rows (when it runs) plus every installed capsule it does not
 * report, as `not loaded`; a failed row without a version takes it from the
 * installed copy. The first installed copy of a name wins (the daemon's
 * discovery order). Sorted by name. Pure.
 */
export function listRows(
  kernel: readonly Record<string, unknown>[] | null,
  installed: readonly InstalledEntry[],
): CapsuleRow[] {
  const byName = new Map<string, CapsuleRow>();
  const firstInstalled = new Map<string, InstalledEntry>();
  for (const e of installed) if (!firstInstalled.has(e.id)) firstInstalled.set(e.id, e);
  for (const raw of kernel ?? []) {
    const row = fromKernel(raw);
    if (row === null) continue;
    const disk = firstInstalled.get(row.name);
    byName.set(row.name, {
      ...row,
      version: row.version ?? disk?.version ?? null,
      dir: row.dir ?? disk?.dir ?? null,
    });
  }
  for (const e of firstInstalled.values()) {
    if (!byName.has(e.id))
      byName.set(e.id, { name: e.id, version: e.version, state: NOT_LOADED, dir: e.dir });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
