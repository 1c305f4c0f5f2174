import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../capsule/manifest/parse-manifest.js';
import { checkAssignment, parseAssignment } from './config-args.js';

const parsed = parseManifest(`[package]
name = "demo"
version = "1.0.0"
[env.UNIT]
type = "select"
enum_values = ["C", "F"]
[env.KEY]
type = "secret"
[env.NOTE]
type = "text"
`);
const M = parsed.manifest!;

describe('parseAssignment', () => {
  it('splits on the first =; KEY= removes', () => {
    expect(parseAssignment('URL=http://x/?a=b')).toEqual({ key: 'URL', value: 'http://x/?a=b' });
    expect(parseAssignment('KEY=')).toEqual({ key: 'KEY', value: '' });
  });
  it('refuses a missing = or an empty key', () => {
    expect(() => parseAssignment('NOPE')).toThrow(/is not KEY=VALUE/);
    expect(() => parseAssignment('=v')).toThrow(/empty key/);
  });
});

describe('checkAssignment', () => {
  it('accepts declared keys and valid choices', () => {
    expect(() => checkAssignment(M, { key: 'UNIT', value: 'F' })).not.toThrow();
    expect(() => checkAssignment(M, { key: 'KEY', value: 'anything' })).not.toThrow();
    expect(() => checkAssignment(M, { key: 'UNIT', value: '' })).not.toThrow();
  });
  it('refuses undeclared keys (naming the declared ones) and values outside a select', () => {
    expect(() => checkAssignment(M, { key: 'UINT', value: 'C' })).toThrow(
      'demo does not declare UINT in [env] (declared: KEY, NOTE, UNIT)',
    );
    expect(() => checkAssignment(M, { key: 'UNIT', value: 'K' })).toThrow(
      'UNIT must be one of C, F (got "K")',
    );
  });
});
