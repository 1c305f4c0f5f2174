import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../capsule/manifest/parse-manifest.js';
import { envEntries } from './env-status.js';

function manifest(env: string) {
  const parsed = parseManifest(`[package]\nname = "demo"\nversion = "1.0.0"\n${env}`);
  if (parsed.manifest === null) throw new Error(JSON.stringify(parsed.errors));
  return parsed.manifest;
}

const M = manifest(`
[env.API_KEY]
type = "Secret"
[env.TOKEN]
type = "secret"
[env.LEGACY]
type = "secret"
[env.REGION]
type = "text"
[env.LANG]
type = "text"
default = "en"
[env.UNIT]
type = "select"
enum_values = ["C", "F"]
default = "C"
`);

describe('envEntries', () => {
  it('reports values, sources and what still needs a value; secrets never in clear', () => {
    const rows = envEntries(
      M,
      { LANG: 'de', LEGACY: 'clear-text', EXTRA: 'x' },
      new Set(['API_KEY']),
    );
    expect(rows.map((r) => [r.key, r.value, r.source, r.needsValue])).toEqual([
      ['API_KEY', '<set>', 'secret-store', false],
      ['LANG', 'de', 'env-file', false],
      ['LEGACY', '<set>', 'env-file', false],
      ['REGION', null, 'unset', true],
      ['TOKEN', null, 'unset', true],
      ['UNIT', null, 'unset', true],
      ['EXTRA', 'x', 'env-file', false],
    ]);
    expect(rows.find((r) => r.key === 'EXTRA')).toMatchObject({
      declared: false,
      type: 'undeclared',
    });
    expect(JSON.stringify(rows)).not.toContain('clear-text');
  });

  it('a default satisfies a text key; the operator value wins over it', () => {
    const rows = envEntries(M, {}, new Set());
    expect(rows.find((r) => r.key === 'LANG')).toMatchObject({
      value: 'en',
      source: 'default',
      needsValue: false,
    });
    expect(rows.filter((r) => r.needsValue).map((r) => r.key)).toEqual([
      'API_KEY',
      'LEGACY',
      'REGION',
      'TOKEN',
      'UNIT',
    ]);
  });
});
