import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../capsule/manifest/parse-manifest.js';
import type { CapsuleId } from '../../../core/ids/capsule-id.js';
import type { PrincipalId } from '../../../core/ids/principal-id.js';
import {
  checkEnvKey,
  checkValue,
  decideSecretTarget,
  isDeclaredSecret,
  parseScope,
} from './secret-target.js';

const agent = 'alice' as PrincipalId;
const weather = 'weather' as CapsuleId;

describe('secret targets', () => {
  it('reads type = "secret" case-insensitively from the manifest', () => {
    const { manifest } = parseManifest(
      '[package]\nname = "weather"\nversion = "1.0.0"\n[env.API_KEY]\ntype = "SeCrEt"\n[env.REGION]\ntype = "text"\n',
    );
    expect(isDeclaredSecret(manifest, 'API_KEY')).toBe(true);
    expect(isDeclaredSecret(manifest, 'REGION')).toBe(false);
    expect(isDeclaredSecret(manifest, 'api_key')).toBe(false);
    expect(isDeclaredSecret(null, 'API_KEY')).toBe(false);
  });

  it('sends declared secrets to the file store, per agent or shared', () => {
    const base = { key: 'API_KEY', agent, capsule: weather, declaredSecret: true } as const;
    expect(decideSecretTarget({ ...base, scope: 'agent' })).toEqual({
      storage: 'file',
      scope: 'agent',
      scopeDir: 'alice',
      capsule: 'weather',
    });
    expect(decideSecretTarget({ ...base, scope: 'shared' })).toMatchObject({
      storage: 'file',
      scope: 'shared',
      scopeDir: '__host__',
    });
  });

  it('sends everything else to the env-json file of the capsule or "default"', () => {
    expect(
      decideSecretTarget({
        key: 'R',
        agent,
        capsule: weather,
        declaredSecret: false,
        scope: 'agent',
      }),
    ).toEqual({ storage: 'env-json', scope: 'agent', principal: 'alice', stem: 'weather' });
    expect(
      decideSecretTarget({ key: 'R', agent, capsule: null, declaredSecret: false, scope: 'agent' }),
    ).toMatchObject({ storage: 'env-json', stem: 'default' });
  });

  it('allows --scope shared only for a declared secret of a named capsule', () => {
    expect(() =>
      decideSecretTarget({
        key: 'K',
        agent,
        capsule: null,
        declaredSecret: false,
        scope: 'shared',
      }),
    ).toThrow(/--scope shared needs --capsule/);
    expect(() =>
      decideSecretTarget({
        key: 'K',
        agent,
        capsule: weather,
        declaredSecret: false,
        scope: 'shared',
      }),
    ).toThrow(/does not declare K with type = "secret"/);
  });

  it('parses --scope and validates keys and values', () => {
    expect(parseScope(undefined)).toBe('agent');
    expect(parseScope('SHARED')).toBe('shared');
    expect(() => parseScope('global')).toThrow(/agent or shared/);
    expect(checkEnvKey('API_KEY')).toBe('API_KEY');
    for (const bad of ['', '1X', 'A-B', 'A/B', '..', 'K'.repeat(129)])
      expect(() => checkEnvKey(bad)).toThrow(/invalid key/);
    expect(checkValue('s3cret\n', true)).toBe('s3cret');
    expect(checkValue('s3cret\r\n', true)).toBe('s3cret');
    expect(checkValue('two\n\n', true)).toBe('two\n');
    expect(checkValue('keep\n', false)).toBe('keep\n');
    expect(() => checkValue('\n', true)).toThrow(/no value on stdin/);
    expect(() => checkValue('', false)).toThrow(/value is empty/);
    expect(() => checkValue('x'.repeat(65_537), false)).toThrow(/over 65536 bytes/);
  });
});
