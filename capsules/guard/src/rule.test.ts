import { describe, expect, it } from 'vitest';
import {
  blockedIn,
  DEFAULT_BLOCKED,
  findBlocked,
  parseBlockedWords,
  unreadableBody,
} from './rule.js';

describe('guard rule', () => {
  it('reads a comma-separated list, trimmed and lowercased, with the default when unset', () => {
    expect(parseBlockedWords(' Foo , ,BAR baz,')).toEqual(['foo', 'bar baz']);
    expect(parseBlockedWords(undefined)).toEqual(parseBlockedWords(DEFAULT_BLOCKED));
    expect(parseBlockedWords(undefined)).toEqual(['rm -rf', 'drop table']);
    expect(parseBlockedWords('')).toEqual([]);
  });

  it('matches case-insensitively inside text and names the word it found', () => {
    expect(blockedIn('please DROP TABLE users', ['rm -rf', 'drop table'])).toBe('drop table');
    expect(blockedIn('a harmless line', ['rm -rf'])).toBeNull();
    expect(blockedIn('anything', [])).toBeNull();
  });

  it('finds a blocked word in any string of a JSON value, object keys included', () => {
    const words = ['secret'];
    expect(findBlocked({ a: [1, true, null, { b: 'top SECRET' }] }, words)).toBe('secret');
    expect(findBlocked({ secret: 1 }, words)).toBe('secret');
    expect(findBlocked(['x', 'Secret'], words)).toBe('secret');
    expect(findBlocked({ a: [1, 'fine', { b: null }] }, words)).toBeNull();
    expect(findBlocked(null, words)).toBeNull();
  });

  it('walks nesting far deeper than the call stack allows', () => {
    type Nested = string | Nested[];
    let deep: Nested = 'rm -rf /';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findBlocked(deep, ['rm -rf'])).toBe('rm -rf');
  });

  it('tells an unparsable body from a JSON null or an empty one', () => {
    expect(unreadableBody(null, 'rm -rf {')).toBe(true);
    expect(unreadableBody(null, ' null ')).toBe(false);
    expect(unreadableBody(null, '')).toBe(false);
    expect(unreadableBody({ a: 1 }, '{"a":1}')).toBe(false);
  });
});
