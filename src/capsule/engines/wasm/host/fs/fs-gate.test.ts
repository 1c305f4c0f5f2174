import { describe, expect, it } from 'vitest';
import { HostError } from '../host-error.js';
import { gateAllows } from './fs-gate.js';
import { displayPath, parseGuestPath } from './guest-path.js';

describe('guest paths', () => {
  it('parses schemes and normalises lexically', () => {
    expect(parseGuestPath('cwd://src/./a.txt')).toMatchObject({
      mount: 'workspace',
      parts: ['src', 'a.txt'],
    });
    expect(parseGuestPath('workspace://a/b/../c')).toMatchObject({
      mount: 'workspace',
      parts: ['a', 'c'],
    });
    expect(parseGuestPath('home://notes')).toMatchObject({ mount: 'home', parts: ['notes'] });
    expect(parseGuestPath('/tmp')).toMatchObject({ mount: 'tmp', parts: [] });
    expect(parseGuestPath('/tmp/x/y')).toMatchObject({ mount: 'tmp', parts: ['x', 'y'] });
    expect(parseGuestPath('tmp://x')).toMatchObject({ mount: 'tmp', parts: ['x'] });
    expect(parseGuestPath('/etc/passwd')).toMatchObject({
      mount: 'workspace',
      parts: ['etc', 'passwd'],
    });
    expect(displayPath(parseGuestPath('src//a'))).toBe('cwd://src/a');
  });

  it('refuses climbing out of a root, NUL and unknown schemes', () => {
    for (const p of ['../../etc/passwd', 'cwd://a/../../x', 'home://..', '/tmp/../x']) {
      expect(() => parseGuestPath(p)).toThrow(HostError);
      try {
        parseGuestPath(p);
      } catch (e) {
        expect((e as HostError).tag).toBe('boundary-escape');
      }
    }
    expect(() => parseGuestPath('a\0b')).toThrow(/NUL/);
    expect(() => parseGuestPath('s3://bucket')).toThrow(/unknown path scheme/);
  });
});

describe('fs gate', () => {
  const roots = { workspace: '/ws', home: '/h/home/alice' };
  it('matches whole components and keeps * to the workspace', () => {
    expect(gateAllows(['*'], '/ws/a', roots)).toBe(true);
    expect(gateAllows(['*'], '/h/home/alice/x', roots)).toBe(false);
    expect(gateAllows(['cwd://src'], '/ws/src/a.txt', roots)).toBe(true);
    expect(gateAllows(['cwd://src'], '/ws/src-evil/a.txt', roots)).toBe(false);
    expect(gateAllows(['workspace://docs'], '/ws/docs', roots)).toBe(true);
    expect(gateAllows(['home://'], '/h/home/alice/any/thing', roots)).toBe(true);
    expect(gateAllows(['home://.local/tmp'], '/h/home/alice/.local/tmp/f', roots)).toBe(true);
    expect(gateAllows(['home://notes'], '/h/home/alice/other', roots)).toBe(false);
    expect(gateAllows(['home://'], '/h/home/alice/x', { ...roots, home: null })).toBe(false);
    expect(gateAllows(['/ws/src'], '/ws/src/a', roots)).toBe(true);
    expect(gateAllows([], '/ws/a', roots)).toBe(false);
  });
});
