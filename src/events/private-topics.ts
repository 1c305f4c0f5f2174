/**
 * Topics whose messages carry secrets (answers to `elicit` for secret
 * fields): delivered only to privileged routes — the kernel's own waits —
 * never to capsule or client subscriptions, and never to interceptors.
 */
export const PRIVATE_TOPIC_PREFIXES: readonly string[] = ['astrid.v1.elicit.response.'];

export function isPrivateTopic(topic: string): boolean {
  return PRIVATE_TOPIC_PREFIXES.some((p) => topic.startsWith(p));
}
