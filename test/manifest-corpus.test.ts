import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatDiagnostic,
  MANIFEST_ERROR_CODES,
  MANIFEST_WARNING_CODES,
  type ManifestDiagnostic,
} from '../src/capsule/manifest/diagnostics.js';
import type { CapsuleManifest } from '../src/capsule/manifest/manifest.js';
import {
  effectiveInterceptors,
  hasCapability,
  heldCapabilityNames,
  onboardingFields,
  publishPatterns,
  secretEnvKeys,
  subscribePatterns,
} from '../src/capsule/manifest/manifest-views.js';
import { type ManifestParseResult, parseManifest } from '../src/capsule/manifest/parse-manifest.js';

/**
 * The manifest corpus: every file in fixtures/manifests/valid must parse
 * without errors, every file in fixtures/manifests/invalid must fail with
 * exactly the one diagnostic expectations.json names.
 */

const FIXTURES = new URL('./fixtures/manifests/', import.meta.url);

interface Expectation {
  readonly file: string;
  readonly code: string;
  /** The table the parser should report. */
  readonly table: string;
  readonly key: string | null;
  readonly messageIncludes: readonly string[];
}

interface Expectations {
  readonly runtimeVersion: string;
  readonly valid: readonly string[];
  readonly invalid: readonly Expectation[];
  readonly warnings: readonly Expectation[];
}

const expectations = JSON.parse(
  readFileSync(new URL('expectations.json', FIXTURES), 'utf8'),
) as Expectations;

function fixtureText(dir: 'valid' | 'invalid', file: string): string {
  return readFileSync(new URL(`${dir}/${file}`, FIXTURES), 'utf8');
}

function listFixtures(dir: 'valid' | 'invalid'): string[] {
  return readdirSync(new URL(`${dir}/`, FIXTURES))
    .filter((f) => f.endsWith('.toml'))
    .sort();
}

function parseFixture(dir: 'valid' | 'invalid', file: string): ManifestParseResult {
  return parseManifest(fixtureText(dir, file), { runtimeVersion: expectations.runtimeVersion });
}

function manifestOf(file: string): CapsuleManifest {
  const result = parseFixture('valid', file);
  expect(result.errors).toEqual([]);
  expect(result.manifest).not.toBeNull();
  return result.manifest as CapsuleManifest;
}

/** The last dotted part of a reported key, unquoted: `"a.b".priority` → `priority`, `"a.b"` → `a.b`. */
function leafOf(key: string): string {
  const quoted = /^"((?:[^"\\]|\\.)*)"$/.exec(key);
  if (quoted) return JSON.parse(key) as string;
  const last = key.slice(key.lastIndexOf('.') + 1);
  return last.startsWith('"') ? (JSON.parse(last) as string) : last;
}

function expectDiagnostic(d: ManifestDiagnostic, e: Expectation): void {
  expect({ code: d.code, key: d.key }).toEqual({ code: e.code, key: e.key });
  expect(d.table).toBe(e.table);
  for (const part of e.messageIncludes) expect(d.message).toContain(part);
  if (e.key !== null) {
    // The user must be able to tell which key is wrong: from the message or the key field,
    // and always from the one-line rendering the CLI prints.
    expect(d.message.includes(leafOf(e.key)) || d.key === e.key).toBe(true);
    expect(formatDiagnostic(d)).toContain(e.key);
  }
}

const warningsByFile = new Map<string, Expectation[]>();
for (const w of expectations.warnings) {
  warningsByFile.set(w.file, [...(warningsByFile.get(w.file) ?? []), w]);
}

describe('manifest corpus layout', () => {
  it('has exactly one expectation per invalid fixture, and a fixture for every expectation', () => {
    const expected = expectations.invalid.map((e) => e.file).sort();
    expect(new Set(expected).size).toBe(expected.length);
    expect(listFixtures('invalid')).toEqual(expected);
  });

  it('lists every valid fixture, and has a fixture for every listed name', () => {
    const listed = [...expectations.valid].sort();
    expect(new Set(listed).size).toBe(listed.length);
    expect(listFixtures('valid')).toEqual(listed);
  });

  it('attaches warning expectations only to valid fixtures', () => {
    for (const file of warningsByFile.keys()) expect(expectations.valid).toContain(file);
  });

  it('starts every fixture with a one-line TOML comment saying what it demonstrates', () => {
    for (const dir of ['valid', 'invalid'] as const) {
      for (const file of listFixtures(dir)) {
        const first = fixtureText(dir, file).split('\n')[0] ?? '';
        expect(first, `${dir}/${file}`).toMatch(/^# \S.{10,}$/);
      }
    }
  });

  it('covers every error code except manifest-missing, using only known codes', () => {
    const used = new Set(expectations.invalid.map((e) => e.code));
    const required = MANIFEST_ERROR_CODES.filter((c) => c !== 'manifest-missing');
    for (const code of required) expect(used, `no invalid fixture for ${code}`).toContain(code);
    expect([...used].filter((c) => !(required as readonly string[]).includes(c))).toEqual([]);
  });

  it('covers every warning code, using only known codes', () => {
    const used = new Set(expectations.warnings.map((e) => e.code));
    for (const code of MANIFEST_WARNING_CODES) {
      expect(used, `no warning fixture for ${code}`).toContain(code);
    }
    expect(
      [...used].filter((c) => !(MANIFEST_WARNING_CODES as readonly string[]).includes(c)),
    ).toEqual([]);
  });
});

describe('valid manifest fixtures', () => {
  it.each(expectations.valid.map((file) => [file]))('%s parses without errors', (file) => {
    const result = parseFixture('valid', file);
    expect(result.errors).toEqual([]);
    expect(result.manifest).not.toBeNull();
    const expected = warningsByFile.get(file) ?? [];
    expect(result.warnings.map((w) => w.code)).toEqual(expected.map((w) => w.code));
    result.warnings.forEach((w, i) => {
      expectDiagnostic(w, expected[i] as Expectation);
    });
  });
});

describe('invalid manifest fixtures', () => {
  it.each(expectations.invalid.map((e) => [e.file, e] as const))(
    '%s fails with exactly its expected error',
    (file, e) => {
      const result = parseFixture('invalid', file);
      expect(result.manifest).toBeNull();
      expect(result.errors.map((d) => d.code)).toEqual([e.code]);
      expectDiagnostic(result.errors[0] as ManifestDiagnostic, e);
    },
  );
});

describe('derived views of the spec example manifest', () => {
  const spec = manifestOf('spec-example.toml');

  it('binds interceptors from [subscribe] handlers, sorted by priority then topic', () => {
    expect(effectiveInterceptors(spec)).toEqual([
      { event: 'user.v1.prompt', action: 'screen_prompt', priority: 10 },
      { event: 'tool.v1.execute.weather', action: 'run_tool', priority: 100 },
    ]);
    // Equal (default) priorities fall back to topic order.
    expect(effectiveInterceptors(manifestOf('handler-default-priority.toml'))).toEqual([
      { event: 'tool.v1.execute.long', action: 'h'.repeat(128), priority: 100 },
      { event: 'tool.v1.execute.weather', action: 'run_tool', priority: 100 },
    ]);
    expect(
      effectiveInterceptors(manifestOf('priority-with-handler.toml')).map((i) => i.priority),
    ).toEqual([0, 10, 4_294_967_295]);
  });

  it('derives the publish and subscribe ACLs from the table keys', () => {
    expect(publishPatterns(spec)).toEqual(['llm.v1.request.generate.*', 'weather.v1.report']);
    expect(subscribePatterns(spec)).toEqual([
      'llm.v1.stream.*',
      'tool.v1.execute.weather',
      'user.v1.prompt',
    ]);
    expect(publishPatterns(manifestOf('minimal.toml'))).toEqual([]);
    expect(subscribePatterns(manifestOf('minimal.toml'))).toEqual([]);
  });

  it('reports held capability names, sorted, and answers hasCapability from them', () => {
    expect(heldCapabilityNames(spec.capabilities)).toEqual([
      'fs_read',
      'fs_write',
      'identity',
      'net',
      'net_connect',
    ]);
    expect(hasCapability(spec.capabilities, 'net')).toBe(true);
    expect(hasCapability(spec.capabilities, 'identity')).toBe(true);
    for (const absent of [
      'uplink',
      'net_bind',
      'host_process',
      'kv',
      'allow_persistent',
      'bogus',
      '',
    ]) {
      expect(hasCapability(spec.capabilities, absent), absent).toBe(false);
    }
    const uplink = manifestOf('uplink-capsule.toml');
    expect(heldCapabilityNames(uplink.capabilities)).toEqual(['net_bind', 'uplink']);
    expect(hasCapability(uplink.capabilities, 'uplink')).toBe(true);
  });

  it('merges component-level capabilities into the root set', () => {
    const m = manifestOf('component-capabilities-merge.toml');
    expect(m.capabilities.net).toEqual(['api.example.com', 'cdn.example.com']);
    expect(m.capabilities.fsRead).toEqual(['cwd://assets']);
    expect(m.capabilities.fsWrite).toEqual(['home://.cache/capsule']);
    expect(m.capabilities.hostProcess).toEqual(['git status']);
    expect(m.capabilities.netBind).toEqual(['unix:capsule']);
  });

  it('lists secret env keys', () => {
    expect(secretEnvKeys(spec)).toEqual(['WEATHER_API_KEY']);
  });

  it('maps env entries to onboarding fields', () => {
    expect(onboardingFields(spec)).toEqual([
      {
        key: 'CITIES',
        prompt: 'Please enter value for CITIES',
        description: 'Comma-separated default cities',
        field_type: 'Array',
      },
      {
        key: 'GREETING',
        prompt: 'Please enter value for GREETING',
        field_type: 'Text',
        default: 'Hello',
      },
      {
        key: 'UNITS',
        prompt: 'Please enter value for UNITS',
        field_type: { Enum: ['metric', 'imperial'] },
        default: 'metric',
      },
      {
        key: 'WEATHER_API_KEY',
        prompt: 'Open-Meteo API key',
        placeholder: 'om-...',
        field_type: 'Secret',
      },
    ]);
  });

  it('stringifies non-string defaults and prefills a single enum value only without a default', () => {
    const fields = new Map(
      onboardingFields(manifestOf('env-onboarding.toml')).map((f) => [f.key, f]),
    );
    expect(fields.get('PORT')).toEqual({
      key: 'PORT',
      prompt: 'Please enter value for PORT',
      field_type: 'Text',
      default: '8080',
    });
    expect(fields.get('VERBOSE')?.default).toBe('true');
    expect(fields.get('TAGS')).toEqual({
      key: 'TAGS',
      prompt: 'Please enter value for TAGS',
      field_type: 'Array',
      default: '["a","b"]',
    });
    expect(fields.get('REGION')).toEqual({
      key: 'REGION',
      prompt: 'Please enter value for REGION',
      field_type: 'Text',
      default: 'eu-west',
    });
    expect(fields.get('ZONE')).toEqual({
      key: 'ZONE',
      prompt: 'Please enter value for ZONE',
      field_type: 'Text',
      default: 'z9',
    });
    expect(fields.get('FLAVOUR')).toEqual({
      key: 'FLAVOUR',
      prompt: 'Pick a flavour',
      field_type: { Enum: ['vanilla', 'mint'] },
    });
  });

  it('treats type = "SECRET" as a secret, case-insensitively', () => {
    const m = manifestOf('env-secret-uppercase.toml');
    expect(m.env.find((e) => e.key === 'TOKEN')?.type).toBe('SECRET');
    expect(secretEnvKeys(m)).toEqual(['TOKEN']);
    expect(onboardingFields(m).map((f) => [f.key, f.field_type])).toEqual([
      ['NOTE', 'Text'],
      ['TOKEN', 'Secret'],
    ]);
  });
});
