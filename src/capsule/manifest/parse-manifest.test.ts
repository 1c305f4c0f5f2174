import { describe, expect, it } from 'vitest';
import { parseManifest } from './parse-manifest.js';

// Every key the parser reads, as a TOML path; each is given values of every
// TOML type. The parser must report, never throw.
const PATHS = [
  'package.name',
  'package.version',
  'package.description',
  'package.authors',
  'package.astrid-version',
  'package.publish',
  'package.metadata',
  'capabilities.net',
  'capabilities.net_connect',
  'capabilities.fs_read',
  'capabilities.identity',
  'capabilities.uplink',
  'capabilities.allow_persistent',
  'imports."astrid:session"',
  'imports.astrid',
  'exports."acme:x"',
  'publish."a.b"',
  'subscribe."a.b"',
  'env.KEY',
  'env.KEY.type',
  'env.KEY.default',
  'env.KEY.enum_values',
];
const VALUES = [
  '5',
  '-1',
  '1.5',
  'true',
  '"text"',
  '""',
  '[1, "a"]',
  '["a"]',
  '{ x = 1 }',
  '1979-05-27T07:32:00Z',
  '{}',
];

function document(path: string, value: string): string {
  const base = '[package]\nname = "p"\nversion = "1.0.0"\n';
  const parts = path.match(/"[^"]*"|[^.]+/g) as string[];
  const table = parts.slice(0, -1).join('.');
  const key = parts.at(-1) as string;
  if (table === 'package') {
    const fields: Record<string, string> = { name: '"p"', version: '"1.0.0"', [key]: value };
    return `[package]\n${Object.entries(fields)
      .map(([k, v]) => `${k} = ${v}`)
      .join('\n')}\n`;
  }
  return `${base}[${table}]\n${key} = ${value}\n`;
}

describe('parseManifest robustness', () => {
  it.each(PATHS)('reports instead of throwing for any value at %s', (path) => {
    for (const value of VALUES) {
      const text = document(path, value);
      let result: ReturnType<typeof parseManifest> | undefined;
      expect(() => {
        result = parseManifest(text);
      }, `${path} = ${value}`).not.toThrow();
      expect(result?.manifest !== null || (result?.errors.length ?? 0) > 0).toBe(true);
      if (result?.manifest) expect(() => JSON.stringify(result?.manifest)).not.toThrow();
    }
  });

  it('keeps integers exact and refuses floats where an integer is required', () => {
    const ok = parseManifest(
      '[package]\nname = "p"\nversion = "1.0.0"\n[subscribe]\n"a.b" = { wit = "x", handler = "h", priority = 4294967295 }\n',
    );
    expect(ok.manifest?.subscribe[0]?.priority).toBe(4_294_967_295);
    const big = parseManifest(
      '[package]\nname = "p"\nversion = "1.0.0"\n[subscribe]\n"a.b" = { wit = "x", handler = "h", priority = 4294967296 }\n',
    );
    expect(big.errors[0]?.code).toBe('invalid-type');
  });

  it('returns a frozen manifest', () => {
    const r = parseManifest(
      '[package]\nname = "p"\nversion = "1.0.0"\n[capabilities]\nnet = ["a.com"]\n',
    );
    expect(Object.isFrozen(r.manifest)).toBe(true);
    expect(Object.isFrozen(r.manifest?.capabilities.net)).toBe(true);
  });
});
