import { describe, expect, it } from 'vitest';
import { dispatchMatches } from './dispatch-matcher.js';
import { routeMatches, TopicMatcher } from './route-matcher.js';
import {
  checkPublishTopic,
  checkSubscribePattern,
  checkTopicPattern,
  hasValidSegments,
  MAX_TOPIC_DEPTH,
} from './topic-syntax.js';

// Every example of bus-kernel-core §1.5 and capsule-runtime §0, plus edges.
// Columns: pattern, topic, route/ACL matcher (A), dispatch matcher (B).
const TABLE: ReadonlyArray<[string, string, boolean, boolean]> = [
  ['a.b.c', 'a.b.c', true, true],
  ['a.b.c', 'a.b.c.d', false, false],
  ['a.b.c', 'a.b', false, false],
  ['a.b.*', 'a.b.c', true, true],
  ['a.b.*', 'a.b.c.d', true, false],
  ['a.b.*', 'a.b', false, false],
  ['a.*.c', 'a.zz.c', true, true],
  ['a.*.c', 'a.b.c.d', false, false],
  ['a.*.c', 'a.b.d', false, false],
  ['astrid.v1.admin.*', 'astrid.v1.admin.auth.pair.issue', true, false],
  ['astrid.v1.admin.*', 'astrid.v1.admin', false, false],
  ['astrid.v1.admin.*.*', 'astrid.v1.admin.agent.list', true, true],
  ['astrid.v1.admin.*.*', 'astrid.v1.admin.auth.pair.issue', true, false],
  ['astrid.v1.admin.*.*', 'astrid.v1.admin.quota', false, false],
  ['tool.v1.execute.*.result', 'tool.v1.execute.read_file.result', true, true],
  ['tool.v1.execute.*.result', 'tool.v1.execute.a.b.result', false, false],
  ['tool.execute.*.result', 'tool.execute.search.result', true, true],
  ['tool.execute.*.result', 'tool.execute.result', false, false],
  ['a.*', 'a.b.c', true, false],
  ['astrid.*', 'astrid.cli.input', true, false],
  ['astrid.*', 'astrid.a.b.c', true, false],
  ['astrid.*', 'other.x', false, false],
  ['*', 'single', true, true],
  ['*', 'two.segments', false, false],
  ['*.*', 'two.segments', true, true],
  ['*.*', 'three.seg.ments', true, false],
];

describe('route/ACL matcher and dispatch matcher', () => {
  it.each(TABLE)('%s vs %s → A=%s B=%s', (pattern, topic, a, b) => {
    expect(routeMatches(pattern, topic)).toBe(a);
    expect(new TopicMatcher(pattern).matches(topic)).toBe(a);
    expect(dispatchMatches(topic, pattern)).toBe(b);
  });

  it('never matches a topic deeper than 20 segments', () => {
    const deep = ['astrid', ...Array.from({ length: MAX_TOPIC_DEPTH }, (_, i) => `s${i}`)].join(
      '.',
    );
    expect(deep.split('.').length).toBe(21);
    expect(routeMatches('astrid.*', deep)).toBe(false);
    expect(routeMatches(deep, deep)).toBe(false);
    expect(dispatchMatches(deep, 'astrid.*')).toBe(false);
    const twenty = deep.split('.').slice(0, 20).join('.');
    expect(routeMatches('astrid.*', twenty)).toBe(true);
    expect(routeMatches(twenty, twenty)).toBe(true);
  });

  it('dispatch matcher refuses empty segments on either side', () => {
    expect(dispatchMatches('a..b', 'a.*.b')).toBe(false);
    expect(dispatchMatches('a.b', 'a.b.')).toBe(false);
    expect(dispatchMatches('', '*')).toBe(false);
  });
});

describe('topic syntax', () => {
  it('segment rule', () => {
    expect(hasValidSegments('a.b')).toBe(true);
    expect(hasValidSegments('*')).toBe(true);
    for (const bad of ['', '.a', 'a.', 'a..b', '.']) expect(hasValidSegments(bad)).toBe(false);
  });

  it.each([
    'a',
    'astrid.v1.request.status',
    'tool.v1.execute.read_file.result',
    'a-b.c_d.0',
    'a.b.c.d.e.f.g.h',
  ])('accepts publish topic %j', (topic) => {
    expect(checkPublishTopic(topic).ok).toBe(true);
  });

  it.each([
    ['', 'must not be empty'],
    ['a..b', 'empty segment'],
    ['.a', 'empty segment'],
    ['a.', 'empty segment'],
    ['a.*', 'no wildcards'],
    ['*', 'no wildcards'],
    ['a.B', 'invalid segment "B"'],
    ['a.b c', 'invalid segment "b c"'],
    ['a.b/c', 'invalid segment'],
    ['a.b.c.d.e.f.g.h.i', '9 segments; the limit is 8'],
    [`${'a'.repeat(257)}`, '257 bytes'],
    [`${'é'.repeat(129)}`, '258 bytes'],
  ])('rejects publish topic %j', (topic, why) => {
    const result = checkPublishTopic(topic);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-input');
      expect(result.error.message).toContain(why);
    }
  });

  it('accepts a 256-byte topic and rejects 257', () => {
    const t256 = `${'a'.repeat(127)}.${'b'.repeat(128)}`;
    expect(t256.length).toBe(256);
    expect(checkPublishTopic(t256).ok).toBe(true);
    expect(checkPublishTopic(`${t256}c`).ok).toBe(false);
  });

  it.each(['a.b', 'a.b.*', '*', 'astrid.v1.audit.entry'])('accepts subscribe pattern %j', (p) => {
    expect(checkSubscribePattern(p).ok).toBe(true);
  });

  it.each([
    ['a.*.c', "'*' may only be the last segment"],
    ['*.b', "'*' may only be the last segment"],
    ['a.*.*', "'*' may only be the last segment"],
    ['a.b*', 'invalid segment "b*"'],
    ['a..*', 'empty segment'],
    ['a.b.c.d.e.f.g.h.*', '9 segments'],
  ])('rejects subscribe pattern %j', (p, why) => {
    const result = checkSubscribePattern(p);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain(why);
  });

  it('declared patterns allow a wildcard anywhere but still validate segments', () => {
    expect(checkTopicPattern('a.*.c').ok).toBe(true);
    expect(checkTopicPattern('*.*.*').ok).toBe(true);
    expect(checkTopicPattern(Array.from({ length: 12 }, () => 'x').join('.')).ok).toBe(true);
    expect(checkTopicPattern('a.B').ok).toBe(false);
    expect(checkTopicPattern('a..c').ok).toBe(false);
    expect(checkTopicPattern('a.**').ok).toBe(false);
  });
});
