import { MAX_TOPIC_DEPTH, WILDCARD } from './topic-syntax.js';

/**
 * A pattern split once for repeated matching against pre-split topics (the
 * bus splits each published topic once and tests it against every route).
 */
export interface CompiledTopicPattern {
  readonly pattern: string;
  /** Segments to compare (without the trailing `*` when `trailing` is true). */
  readonly segments: readonly string[];
  /** The pattern ends in `.*`: one or more further segments at any depth. */
  readonly trailing: boolean;
}

export function compileTopicPattern(pattern: string): CompiledTopicPattern {
  const segments = pattern.split('.');
  const trailing = segments.length > 1 && segments[segments.length - 1] === WILDCARD;
  if (trailing) segments.pop();
  return { pattern, segments, trailing };
}

/** Matcher A over a compiled pattern and a pre-split topic. */
export function matchesCompiled(
  compiled: CompiledTopicPattern,
  topicSegments: readonly string[],
): boolean {
  const length = topicSegments.length;
  if (length > MAX_TOPIC_DEPTH) return false;
  const segments = compiled.segments;
  const count = segments.length;
  if (compiled.trailing ? length <= count : length !== count) return false;
  for (let i = 0; i < count; i++) {
    const p = segments[i];
    if (p !== WILDCARD && p !== topicSegments[i]) return false;
  }
  return true;
}

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
  return matchesCompiled(compileTopicPattern(pattern), topic.split('.'));
}

/** A pattern compiled once for repeated matching (broadcast filters, routes). */
export class TopicMatcher {
  readonly compiled: CompiledTopicPattern;

  constructor(pattern: string) {
    this.compiled = compileTopicPattern(pattern);
  }

  get pattern(): string {
    return this.compiled.pattern;
  }

  matches(topic: string): boolean {
    return matchesCompiled(this.compiled, topic.split('.'));
  }

  matchesSegments(topicSegments: readonly string[]): boolean {
    return matchesCompiled(this.compiled, topicSegments);
  }
}
