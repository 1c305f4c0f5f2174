import { MAX_TOPIC_DEPTH, WILDCARD } from './topic-syntax.js';

/**
 * The route/ACL matcher ("matcher A"): used for broadcast topic filters,
 * routed subscriptions and capsule publish/subscribe ACLs.
 *
 * - A pattern ending in `.*` matches a topic with strictly more segments than
 *   the prefix, at any depth (trailing `*` = one or more segments).
 * - Any other `*` matches exactly one segment, and segment counts must match.
 * - Topics deeper than `MAX_TOPIC_DEPTH` never match (caps matching work).
 *
 * Callers validate syntax; this function only decides.
 */
export function routeMatches(pattern: string, topic: string): boolean {
  const topicSegments = topic.split('.');
  if (topicSegments.length > MAX_TOPIC_DEPTH) return false;
  const patternSegments = pattern.split('.');

  const trailingWildcard =
    patternSegments.length > 1 && patternSegments[patternSegments.length - 1] === WILDCARD;
  if (trailingWildcard) {
    const prefixLength = patternSegments.length - 1;
    if (topicSegments.length <= prefixLength) return false;
    return segmentsMatch(patternSegments, topicSegments, prefixLength);
  }
  if (patternSegments.length !== topicSegments.length) return false;
  return segmentsMatch(patternSegments, topicSegments, patternSegments.length);
}

function segmentsMatch(pattern: string[], topic: string[], count: number): boolean {
  for (let i = 0; i < count; i++) {
    const p = pattern[i];
    if (p !== WILDCARD && p !== topic[i]) return false;
  }
  return true;
}

/** A pattern compiled once for repeated matching (broadcast filters, routes). */
export class TopicMatcher {
  readonly pattern: string;

  constructor(pattern: string) {
    this.pattern = pattern;
  }

  matches(topic: string): boolean {
    return routeMatches(this.pattern, topic);
  }
}
