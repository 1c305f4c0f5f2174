import { hasValidSegments, WILDCARD } from './topic-syntax.js';

/**
 * The strict dispatch matcher ("matcher B") that picks interceptors: both
 * strings must have no empty segments and the same segment count; `*` matches
 * exactly one segment anywhere, so a trailing `*` never matches deeper topics.
 *
 * Deliberately separate from `routeMatches`: an interceptor bound to `a.*`
 * must not fire for `a.b.c` even though a subscription to `a.*` receives it.
 */
export function dispatchMatches(topic: string, pattern: string): boolean {
  if (!hasValidSegments(topic) || !hasValidSegments(pattern)) return false;
  const t = topic.split('.');
  const p = pattern.split('.');
  if (t.length !== p.length) return false;
  for (let i = 0; i < p.length; i++) {
    if (p[i] !== WILDCARD && p[i] !== t[i]) return false;
  }
  return true;
}
