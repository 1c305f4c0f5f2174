/**
 * Subscriber labels are a fixed vocabulary, never caller text, so the
 * `subscriber` metric label stays bounded. Anything else reports as `untagged`.
 */
export const BROADCAST_LABELS = [
  'kernel_router',
  'admin_router',
  'connection_tracker',
  'capsule_dispatcher',
  'bus_monitor',
  'revocation_watcher',
  'socket_client',
  'gateway_sse',
] as const;

export const ROUTED_LABELS = [
  'capsule_guest',
  'gateway::audit_sse',
  'gateway::agent_sse',
  'socket_client',
] as const;

export type BroadcastLabel = (typeof BROADCAST_LABELS)[number];
export type RoutedLabel = (typeof ROUTED_LABELS)[number];
export const UNTAGGED = 'untagged';

const KNOWN = new Set<string>([...BROADCAST_LABELS, ...ROUTED_LABELS]);

export function subscriberLabel(label: string | undefined): string {
  return label !== undefined && KNOWN.has(label) ? label : UNTAGGED;
}
