/**
 * Topics only the kernel publishes: responses, the audit feed, connection
 * events, lifecycle broadcasts. A socket client publishing one of these
 * could forge answers for other clients, so the socket server refuses them.
 */
const RESERVED_PREFIXES = [
  'astrid.v1.admin.response.',
  'astrid.v1.response.',
  'astrid.v1.audit.',
  'astrid.v1.health.',
  'astrid.v1.watchdog.',
  'client.v1.',
];
const RESERVED_TOPICS = new Set(['astrid.v1.capsules_loaded']);

export function isKernelReservedTopic(topic: string): boolean {
  return RESERVED_TOPICS.has(topic) || RESERVED_PREFIXES.some((p) => topic.startsWith(p));
}
