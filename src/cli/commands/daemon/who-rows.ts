import { DEFAULT_PRINCIPAL } from '../../../core/ids/principal-id.js';
import type { DaemonStatus } from './daemon-status.js';

export interface WhoRow {
  readonly agent: string;
  readonly platform: 'cli';
  readonly state: 'active';
  readonly connections: number;
}

/**
 * One row per principal with open socket connections, sorted by agent. A
 * daemon that does not break connections down by principal has them all
 * attributed to `default`. Pure.
 */
export function whoRows(status: DaemonStatus): WhoRow[] {
  const counts =
    status.connections_by_principal ??
    (status.connected_clients > 0
      ? [{ principal: DEFAULT_PRINCIPAL, count: status.connected_clients }]
      : []);
  return counts
    .filter((c) => c.count > 0)
    .map((c) => ({
      agent: c.principal,
      platform: 'cli' as const,
      state: 'active' as const,
      connections: c.count,
    }))
    .sort((a, b) => (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0));
}
