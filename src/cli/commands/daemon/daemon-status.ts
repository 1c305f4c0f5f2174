import { AstridError } from '../../../core/errors.js';
import type { PrincipalId } from '../../../core/ids/principal-id.js';
import { isJsonObject, type Json } from '../../../events/json.js';
import type { DaemonStatus } from '../../../kernel/requests/core-methods.js';
import { formatUptime } from './uptime.js';

export type { DaemonStatus } from '../../../kernel/requests/core-methods.js';

function malformed(what: string): AstridError {
  return new AstridError('internal', `the daemon sent a malformed status answer (${what})`);
}

function count(value: Json | undefined, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw malformed(what);
  return value;
}

/** Reads a `GetStatus` answer into a typed status; anything malformed is an error. Pure. */
export function parseDaemonStatus(data: Json): DaemonStatus {
  if (!isJsonObject(data)) throw malformed('not an object');
  const capsules = data.loaded_capsules;
  if (!Array.isArray(capsules) || !capsules.every((c) => typeof c === 'string'))
    throw malformed('loaded_capsules');
  if (typeof data.version !== 'string') throw malformed('version');
  const byPrincipal = data.connections_by_principal;
  let connections: { principal: PrincipalId; count: number }[] | undefined;
  if (byPrincipal !== undefined && byPrincipal !== null) {
    if (!Array.isArray(byPrincipal)) throw malformed('connections_by_principal');
    connections = byPrincipal.map((row) => {
      if (!isJsonObject(row) || typeof row.principal !== 'string')
        throw malformed('connections_by_principal');
      return {
        principal: row.principal as PrincipalId,
        count: count(row.count, 'connections_by_principal'),
      };
    });
  }
  return {
    pid: count(data.pid, 'pid'),
    uptime_secs: count(data.uptime_secs, 'uptime_secs'),
    version: data.version,
    ephemeral: data.ephemeral === true,
    connected_clients: count(data.connected_clients, 'connected_clients'),
    ...(connections === undefined ? {} : { connections_by_principal: connections }),
    loaded_capsules: [...(capsules as string[])],
  };
}

/** The pretty `status` text (the first line is the ✓ headline, without its marker). Pure. */
export function statusLines(status: DaemonStatus): { headline: string; details: string[] } {
  const capsules = [...status.loaded_capsules].sort();
  return {
    headline: `Astrid daemon (PID ${status.pid}, uptime ${formatUptime(status.uptime_secs)})`,
    details: [
      `  Version:  ${status.version}${status.ephemeral ? ' (ephemeral)' : ''}`,
      `  Clients:  ${status.connected_clients}`,
      `  Capsules: ${capsules.length} loaded`,
      ...capsules.map((c) => `    - ${c}`),
    ],
  };
}
