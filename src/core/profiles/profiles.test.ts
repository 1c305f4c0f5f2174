import { describe, expect, it } from 'vitest';
import {
  checkProfile,
  DEFAULT_PROFILE,
  makeProfile,
  profileFromWire,
  profileToWire,
} from './profile.js';
import {
  checkQuotas,
  checkQuotaValue,
  DEFAULT_QUOTAS,
  GIB,
  MIB,
  quotaFieldOf,
  quotasFromWire,
  quotasToWire,
} from './quotas.js';

describe('quotas', () => {
  it('has the reference defaults', () => {
    expect(DEFAULT_QUOTAS).toEqual({
      maxMemoryBytes: 64 * MIB,
      maxTimeoutSecs: 300,
      maxIpcThroughputBytes: 10 * MIB,
      maxBackgroundProcesses: 8,
      maxStorageBytes: GIB,
      maxCpuFuelPerSec: 2_000_000_000,
    });
    expect(checkQuotas(DEFAULT_QUOTAS).ok).toBe(true);
  });

  it.each([
    ['maxMemoryBytes', 1, true],
    ['maxMemoryBytes', 0, false],
    ['maxTimeoutSecs', 1, true],
    ['maxTimeoutSecs', 86_400, true],
    ['maxTimeoutSecs', 0, false],
    ['maxTimeoutSecs', 86_401, false],
    ['maxIpcThroughputBytes', 0, false],
    ['maxBackgroundProcesses', 0, true],
    ['maxBackgroundProcesses', 256, true],
    ['maxBackgroundProcesses', 257, false],
    ['maxStorageBytes', 0, false],
    ['maxCpuFuelPerSec', 0, false],
    ['maxCpuFuelPerSec', -5, false],
    ['maxMemoryBytes', 1.5, false],
    ['maxMemoryBytes', Number.NaN, false],
    ['maxMemoryBytes', '64', false],
    ['maxMemoryBytes', 2 ** 53, false],
  ] as const)('%s = %j → valid %s', (field, value, valid) => {
    expect(checkQuotaValue(field, value).ok).toBe(valid);
  });

  it('names the field and the bound in errors', () => {
    const r = checkQuotaValue('maxTimeoutSecs', 86_401);
    expect(!r.ok && r.error.message).toBe(
      'max_timeout_secs must be between 1 and 86400 (got 86401)',
    );
    const m = checkQuotaValue('maxMemoryBytes', 0);
    expect(!m.ok && m.error.message).toBe('max_memory_bytes must be at least 1 (got 0)');
  });

  it('parses the wire form with defaults for omitted fields and rejects unknown ones', () => {
    const q = quotasFromWire({ max_memory_bytes: 128 * MIB });
    expect(q.ok && q.value).toEqual({ ...DEFAULT_QUOTAS, maxMemoryBytes: 128 * MIB });
    const unknown = quotasFromWire({ max_memory: 1 });
    expect(!unknown.ok && unknown.error.message).toContain('unknown quota "max_memory"');
    expect(quotasFromWire([]).ok).toBe(false);
    expect(quotasFromWire({ max_timeout_secs: 0 }).ok).toBe(false);
    expect(quotasFromWire(quotasToWire(DEFAULT_QUOTAS))).toEqual({
      ok: true,
      value: DEFAULT_QUOTAS,
    });
  });

  it('resolves field names from either spelling', () => {
    expect(quotaFieldOf('max_memory_bytes')).toBe('maxMemoryBytes');
    expect(quotaFieldOf('maxMemoryBytes')).toBe('maxMemoryBytes');
    expect(quotaFieldOf('memory')).toBeUndefined();
  });
});

describe('profiles', () => {
  it('defaults to enabled, no groups and default quotas', () => {
    expect(DEFAULT_PROFILE.enabled).toBe(true);
    expect(DEFAULT_PROFILE.groups).toEqual([]);
    expect(DEFAULT_PROFILE.quotas).toEqual(DEFAULT_QUOTAS);
    expect(Object.isFrozen(DEFAULT_PROFILE.groups)).toBe(true);
  });

  it('parses the reference example and round-trips through the wire form', () => {
    const wire = {
      profile_version: 1,
      enabled: true,
      groups: ['agent'],
      grants: ['capsule:list'],
      revokes: ['self:capsule:install'],
      auth: {
        methods: ['keypair'],
        public_keys: ['ed25519:3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29'],
      },
      quotas: { max_memory_bytes: 134_217_728 },
    };
    const parsed = profileFromWire(wire);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.groups).toEqual(['agent']);
    expect(parsed.value.quotas.maxMemoryBytes).toBe(134_217_728);
    expect(parsed.value.quotas.maxTimeoutSecs).toBe(300);
    const again = profileFromWire(profileToWire(parsed.value));
    expect(again.ok && again.value).toEqual(parsed.value);
  });

  it('treats an empty table as the default profile', () => {
    const parsed = profileFromWire({});
    expect(parsed.ok && parsed.value).toEqual(DEFAULT_PROFILE);
  });

  it.each([
    [{ unknown: 1 }, 'unknown key "unknown"'],
    [{ auth: { method: [] } }, 'unknown key "method" in [auth]'],
    [{ network: { ingress: [] } }, 'unknown key "ingress" in [network]'],
    [{ process: { deny: [] } }, 'unknown key "deny" in [process]'],
    [{ quotas: { nope: 1 } }, 'unknown quota "nope"'],
    [{ profile_version: 2 }, 'profile_version 2 is newer'],
    [{ profile_version: 'one' }, 'profile_version must be a whole number'],
    [{ enabled: 'yes' }, 'enabled must be true or false'],
    [{ groups: 'agent' }, 'groups must be a list of strings'],
    [{ groups: ['bad group'] }, 'groups:'],
    [{ grants: ['a::b'] }, 'grants:'],
    [{ revokes: ['x*'] }, 'revokes:'],
    [{ auth: { methods: ['password'] } }, 'unknown method "password"'],
    [{ auth: { public_keys: [''] } }, 'public_keys must not contain empty strings'],
    [{ network: { egress: ['  '] } }, 'egress must not contain blank entries'],
    [{ process: { allow: [''] } }, 'process.allow must not contain blank entries'],
    [{ quotas: { max_timeout_secs: 86_401 } }, 'max_timeout_secs must be between 1 and 86400'],
    [{ auth: 'x' }, '[auth] must be a table'],
    ['nope', 'profile must be a table'],
  ])('rejects %j', (wire, why) => {
    const parsed = profileFromWire(wire);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.code).toBe('invalid-input');
      expect(parsed.error.message).toContain(why);
    }
  });

  it('checkProfile validates programmatic profiles before saving', () => {
    expect(checkProfile(makeProfile({ groups: ['agent'] })).ok).toBe(true);
    expect(checkProfile(makeProfile({ groups: ['a b'] })).ok).toBe(false);
  });
});
