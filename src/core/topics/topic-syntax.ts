import { type AstridError, err, invalidInput, ok, type Result } from '../errors.js';
import { utf8ByteLength } from '../utf8.js';

/** Longest topic or pattern (UTF-8 bytes) a publisher or subscriber may use. */
export const MAX_TOPIC_BYTES = 256;
/** Most segments a published topic or a subscribe pattern may have. */
export const MAX_TOPIC_SEGMENTS = 8;
/** Topics deeper than this never match any pattern. */
export const MAX_TOPIC_DEPTH = 20;

/** The whole-segment wildcard. */
export const WILDCARD = '*';

const SEGMENT = /^[a-z0-9_-]+$/;

/** A segment of a concrete topic: `[a-z0-9_-]+`. */
export function isTopicSegment(segment: string): boolean {
  return SEGMENT.test(segment);
}

/**
 * The structural rule shared by every topic and pattern: non-empty, and no
 * empty segment (no leading, trailing or doubled dot).
 */
export function hasValidSegments(value: string): boolean {
  if (value.length === 0) return false;
  for (const segment of value.split('.')) {
    if (segment.length === 0) return false;
  }
  return true;
}

function byteLength(value: string): number {
  return utf8ByteLength(value);
}

type TopicKind = 'topic' | 'subscribe pattern' | 'pattern';

function checkCommon(
  value: string,
  kind: TopicKind,
  maxSegments: number,
): Result<string[], AstridError> {
  if (value.length === 0) return err(invalidInput(`${kind} must not be empty`));
  const bytes = byteLength(value);
  if (bytes > MAX_TOPIC_BYTES) {
    return err(invalidInput(`${kind} is ${bytes} bytes; the limit is ${MAX_TOPIC_BYTES}`));
  }
  if (!hasValidSegments(value)) {
    return err(
      invalidInput(
        `${kind} ${JSON.stringify(value)} has an empty segment (no leading, trailing or doubled '.')`,
      ),
    );
  }
  const segments = value.split('.');
  if (segments.length > maxSegments) {
    return err(
      invalidInput(
        `${kind} ${JSON.stringify(value)} has ${segments.length} segments; the limit is ${maxSegments}`,
      ),
    );
  }
  return ok(segments);
}

function badSegment(
  kind: TopicKind,
  value: string,
  segment: string,
  wildcardHint: string,
): AstridError {
  return invalidInput(
    `${kind} ${JSON.stringify(value)} has invalid segment ${JSON.stringify(segment)}: segments are [a-z0-9_-]+${wildcardHint}`,
  );
}

/**
 * A concrete topic a publisher may send on: ≤ 256 bytes, ≤ 8 segments of
 * `[a-z0-9_-]+`. A wildcard is never valid in a published topic.
 */
export function checkPublishTopic(topic: string): Result<string, AstridError> {
  const common = checkCommon(topic, 'topic', MAX_TOPIC_SEGMENTS);
  if (!common.ok) return common;
  for (const segment of common.value) {
    if (!isTopicSegment(segment))
      return err(badSegment('topic', topic, segment, ' (no wildcards)'));
  }
  return ok(topic);
}

/**
 * A pattern a guest or client subscribes with: ≤ 256 bytes, ≤ 8 segments, and
 * at most one `*`, which must be the last segment.
 */
export function checkSubscribePattern(pattern: string): Result<string, AstridError> {
  const common = checkCommon(pattern, 'subscribe pattern', MAX_TOPIC_SEGMENTS);
  if (!common.ok) return common;
  const segments = common.value;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    if (segment === WILDCARD) {
      if (i !== segments.length - 1) {
        return err(
          invalidInput(
            `subscribe pattern ${JSON.stringify(pattern)}: '*' may only be the last segment`,
          ),
        );
      }
      continue;
    }
    if (!isTopicSegment(segment)) {
      return err(badSegment('subscribe pattern', pattern, segment, " or a whole-segment '*'"));
    }
  }
  return ok(pattern);
}

/**
 * A pattern an operator or manifest declares (ACL keys, interceptor events,
 * kernel filters): ≤ 256 bytes, segments `[a-z0-9_-]+` or a whole-segment `*`
 * in any position. Depth is not limited here; topics deeper than
 * `MAX_TOPIC_DEPTH` simply never match.
 */
export function checkTopicPattern(pattern: string): Result<string, AstridError> {
  const common = checkCommon(pattern, 'pattern', Number.POSITIVE_INFINITY);
  if (!common.ok) return common;
  for (const segment of common.value) {
    if (segment !== WILDCARD && !isTopicSegment(segment)) {
      return err(badSegment('pattern', pattern, segment, " or a whole-segment '*'"));
    }
  }
  return ok(pattern);
}
