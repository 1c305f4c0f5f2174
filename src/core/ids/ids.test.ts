import { describe, expect, it } from 'vitest';
import { isAstridError } from '../errors.js';
import { checkCapsuleId, isCapsuleId, parseCapsuleId } from './capsule-id.js';
import {
  checkPrincipalId,
  DEFAULT_PRINCIPAL,
  HOST_SCOPE,
  isPrincipalId,
  parsePrincipalId,
} from './principal-id.js';
import { principalClass } from './principal-key.js';

describe('PrincipalId', () => {
  it.each(['default', 'alice', 'Agent_007', 'a', 'x-y_z', 'A'.repeat(64), '0'])(
    'accepts %j',
    (id) => {
      expect(checkPrincipalId(id).ok).toBe(true);
      expect(parsePrincipalId(id)).toBe(id);
    },
  );

  it.each([
    ['', 'must not be empty'],
    ['a'.repeat(65), 'exceeds 64 characters'],
    ['al ice', 'invalid character " "'],
    ['alice.bob', 'invalid character "."'],
    ['agent:1', 'invalid character ":"'],
    ['../etc', 'invalid character "."'],
    ['ünïcode', 'invalid character "ü"'],
    ['__host__', 'reserved'],
    ['__system__', 'reserved'],
  ])('rejects %j (%s)', (id, why) => {
    const result = checkPrincipalId(id);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-input');
      expect(result.error.message).toContain(why);
    }
    expect(isPrincipalId(id)).toBe(false);
  });

  it('keeps names that merely contain underscores', () => {
    expect(isPrincipalId('__host')).toBe(true);
    expect(isPrincipalId('host__')).toBe(true);
    expect(isPrincipalId('____')).toBe(false);
  });

  it('is case-sensitive and exposes the default and host scope', () => {
    expect(parsePrincipalId('Alice')).not.toBe(parsePrincipalId('alice'));
    expect(DEFAULT_PRINCIPAL).toBe('default');
    expect(isPrincipalId(HOST_SCOPE)).toBe(false);
  });

  it('throws a typed error from parse', () => {
    try {
      parsePrincipalId('bad id');
      expect.unreachable();
    } catch (e) {
      expect(isAstridError(e, 'invalid-input')).toBe(true);
    }
  });
});

describe('CapsuleId', () => {
  it.each(['a', 'weather', 'my-capsule-2', '0', 'a'.repeat(64)])('accepts %j', (id) => {
    expect(parseCapsuleId(id)).toBe(id);
  });

  it.each([
    ['', 'must not be empty'],
    ['a'.repeat(65), 'exceeds 64'],
    ['-lead', "must not start or end with '-'"],
    ['trail-', "must not start or end with '-'"],
    ['Upper', 'lowercase'],
    ['under_score', 'lowercase'],
    ['dot.ted', 'lowercase'],
    ['../escape', 'lowercase'],
    ['a/b', 'lowercase'],
  ])('rejects %j', (id, why) => {
    const result = checkCapsuleId(id);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain(why);
    expect(isCapsuleId(id)).toBe(false);
  });
});

describe('principalClass', () => {
  it.each([
    [null, 'system'],
    ['alice', 'user'],
    ['agent.alice', 'agent'],
    ['agent:alice', 'agent'],
    ['agentsmith', 'user'],
    ['default', 'user'],
  ] as const)('classifies %j as %s', (key, cls) => {
    expect(principalClass(key)).toBe(cls);
  });
});
