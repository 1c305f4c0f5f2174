import type { PrincipalId } from '../../core/ids/principal-id.js';
import type { Json } from '../../events/json.js';
import type { KernelMethod } from './kernel-method.js';

export interface DaemonStatus {
  readonly pid: number;
  readonly uptime_secs: number;
  readonly version: string;
  readonly ephemeral: boolean;
  readonly connected_clients: number;
  readonly connections_by_principal?: { principal: PrincipalId; count: number }[];
  readonly loaded_capsules: string[];
}

/** `GetStatus` (system:status). */
export function statusMethod(status: () => DaemonStatus): KernelMethod {
  return {
    name: 'GetStatus',
    capability: 'system:status',
    ratePerMinute: null,
    mutating: false,
    handle: () => ({ status: 'Status', data: status() as unknown as Json }),
  };
}

/** `Shutdown` (system:shutdown, 1/min): answers first, then raises the shutdown signal. */
export function shutdownMethod(requestShutdown: (reason: string) => void): KernelMethod {
  let reason = 'api';
  return {
    name: 'Shutdown',
    capability: 'system:shutdown',
    ratePerMinute: 1,
    mutating: true,
    handle: (params) => {
      const given =
        params !== null && typeof params === 'object' && !Array.isArray(params)
          ? params.reason
          : undefined;
      reason = typeof given === 'string' && given.length > 0 ? given : 'api';
      return { status: 'Success', data: { status: 'shutting_down' } };
    },
    after: () => requestShutdown(reason),
  };
}
