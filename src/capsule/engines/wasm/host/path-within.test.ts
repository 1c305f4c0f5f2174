import { describe, expect, it } from 'vitest';
import { isWithin } from './path-within.js';

describe('isWithin', () => {
  it('accepts the root and paths beneath it', () => {
    expect(isWithin('/ws', '/ws')).toBe(true);
    expect(isWithin('/ws/a/b', '/ws')).toBe(true);
    expect(isWithin('/ws/a/', '/ws/')).toBe(true);
    expect(isWithin('/anything', '/')).toBe(true);
  });

  it('treats names that merely start with two dots as ordinary children (regression)', () => {
    expect(isWithin('/ws/..cache', '/ws')).toBe(true);
    expect(isWithin('/ws/..cache/x', '/ws')).toBe(true);
    expect(isWithin('/ws/...', '/ws')).toBe(true);
  });

  it('refuses parents, siblings that share a prefix, and escapes', () => {
    expect(isWithin('/', '/ws')).toBe(false);
    expect(isWithin('/ws2', '/ws')).toBe(false);
    expect(isWithin('/w', '/ws')).toBe(false);
    expect(isWithin('/ws/../etc', '/ws')).toBe(false);
    expect(isWithin('/other/ws', '/ws')).toBe(false);
    expect(isWithin('/ws/a/../../etc/passwd', '/ws')).toBe(false);
  });
});
