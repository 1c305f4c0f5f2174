/**
 * The raw principal carried on an IPC message, used as a routing key without
 * validation. `null` is the system (kernel-originated traffic).
 */
export type PrincipalKey = string | null;

/** The class of a principal, a bounded label for metrics and fairness reports. */
export type PrincipalClass = 'system' | 'user' | 'agent';

export const PRINCIPAL_CLASSES: readonly PrincipalClass[] = ['system', 'user', 'agent'];

/**
 * Classifies a principal key. `null` is the system; keys namespaced
 * `agent.` / `agent:` (as uplinks stamp them) are agents; everything else is a
 * user. Never returns the raw key, so it is safe as a metric label.
 */
export function principalClass(key: PrincipalKey): PrincipalClass {
  if (key === null) return 'system';
  if (key.startsWith('agent.') || key.startsWith('agent:')) return 'agent';
  return 'user';
}
