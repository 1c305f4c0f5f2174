import { describe, expect, it } from 'vitest';
import { parseManifest } from '../manifest/parse-manifest.js';
import { resolveEnv } from './resolve-env.js';

function manifest(env: string) {
  const parsed = parseManifest(`[package]\nname = "demo"\nversion = "1.0.0"\n${env}`);
  if (parsed.manifest === null) throw new Error(JSON.stringify(parsed.errors));
  return parsed.manifest;
}

const enc = (s: string) => new TextEncoder().encode(s);

describe('resolveEnv', () => {
  it('operator value > default; several enum values need the operator even with a default', () => {
    const m = manifest(`
[env.UNIT]
type = "select"
enum_values = ["C", "F"]
default = "C"
[env.LANG]
type = "text"
default = "en"
[env.REGION]
type = "text"
request = "Which region?"
[env.COUNT]
type = "text"
default = 3
`);
    const r = resolveEnv(
      m,
      (k) => (k === 'LANG' ? enc('de') : null),
      () => false,
    );
    expect(Object.fromEntries(r.values)).toEqual({ UNIT: '', LANG: 'de', REGION: '', COUNT: '3' });
    expect(r.onboarding.map((f) => f.key)).toEqual(['REGION', 'UNIT']);
  });

  it('a stored secret satisfies its key without entering the config; non-UTF-8 values need the operator', () => {
    const m = manifest(`
[env.API_KEY]
type = "Secret"
[env.TOKEN]
type = "secret"
[env.NAME]
type = "text"
default = "x"
`);
    const r = resolveEnv(
      m,
      (k) => (k === 'NAME' ? new Uint8Array([0xff, 0xfe]) : null),
      (k) => k === 'API_KEY',
    );
    expect(Object.fromEntries(r.values)).toEqual({ API_KEY: '', TOKEN: '', NAME: '' });
    expect(r.onboarding.map((f) => f.key).sort()).toEqual(['NAME', 'TOKEN']);
  });
});
