import { AstridError } from '../../../core/errors.js';
import { isJsonObject, type Json } from '../../../events/json.js';
import { renderTable } from '../../render/table.js';

/** One `ps` row: what the kernel reports about a loaded (or failed) capsule. */
export interface CapsuleRow {
  readonly capsule: string;
  /** `ready`, `loading`, `unloading`, `unloaded` or `failed`. */
  readonly state: string;
  readonly version?: string;
  /** Live WASM instances (pooled capsules may hold several). */
  readonly instances?: number;
  /** Interceptor subscriptions. */
  readonly interceptors?: number;
  readonly run_loop?: boolean;
  readonly uplink?: boolean;
  /** Why a failed capsule did not load. */
  readonly reason?: string;
}

function malformed(what: string): AstridError {
  return new AstridError('internal', `the daemon sent a malformed capsule list (${what})`);
}

/** Reads a verbose `ListCapsules` answer into rows sorted by capsule name. Pure. */
export function parseCapsuleRows(data: Json): CapsuleRow[] {
  if (!Array.isArray(data)) throw malformed('not a list');
  const rows = data.map((item): CapsuleRow => {
    if (!isJsonObject(item) || typeof item.name !== 'string' || typeof item.state !== 'string')
      throw malformed('a row without name or state');
    return {
      capsule: item.name,
      state: item.state,
      ...(typeof item.version === 'string' ? { version: item.version } : {}),
      ...(typeof item.instances === 'number' ? { instances: item.instances } : {}),
      ...(Array.isArray(item.interceptors) ? { interceptors: item.interceptors.length } : {}),
      ...(typeof item.run_loop === 'boolean' ? { run_loop: item.run_loop } : {}),
      ...(typeof item.uplink === 'boolean' ? { uplink: item.uplink } : {}),
      ...(typeof item.reason === 'string' ? { reason: item.reason } : {}),
    };
  });
  return rows.sort((a, b) => (a.capsule < b.capsule ? -1 : a.capsule > b.capsule ? 1 : 0));
}

function role(row: CapsuleRow): string {
  return [row.uplink ? 'uplink' : '', row.run_loop ? 'run-loop' : '']
    .filter((r) => r.length > 0)
    .join(',');
}

/**
 * The pretty `ps` table: CAPSULE, VERSION, STATE, INSTANCES, INTERCEPTORS,
 * plus ROLE and REASON only when some row has one. Failed capsules have no
 * version or instances; their cells stay empty. Pure.
 */
export function renderCapsuleTable(rows: readonly CapsuleRow[]): string {
  const withRole = rows.some((r) => role(r).length > 0);
  const withReason = rows.some((r) => r.reason !== undefined);
  const headers = ['CAPSULE', 'VERSION', 'STATE', 'INSTANCES', 'INTERCEPTORS'];
  if (withRole) headers.push('ROLE');
  if (withReason) headers.push('REASON');
  return renderTable(
    headers,
    rows.map((r) => {
      const cells = [
        r.capsule,
        r.version ?? '',
        r.state,
        r.instances === undefined ? '' : String(r.instances),
        r.interceptors === undefined ? '' : String(r.interceptors),
      ];
      if (withRole) cells.push(role(r));
      if (withReason) cells.push(r.reason ?? '');
      return cells;
    }),
  );
}
