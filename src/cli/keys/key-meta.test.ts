import { describe, expect, it } from 'vitest';
import { type KeyMeta, parseKeyMeta, renderKeyMeta } from './key-meta.js';

const FP = 'ab'.repeat(32);
const base: KeyMeta = {
  schemaVersion: 1,
  fingerprint: FP,
  createdAtEpoch: 1_700_000_000,
  backend: 'file',
  note: null,
  boundPrincipal: null,
};

describe('key meta', () => {
  it('round-trips, leaving unset optional fields out of the file', () => {
    const text = renderKeyMeta(base);
    expect(text).toBe(
      `schema_version = 1\nfingerprint = "${FP}"\ncreated_at_epoch = 1700000000\nbackend = "file"\n`,
    );
    expect(parseKeyMeta(text, 'm')).toEqual(base);
    const full = { ...base, note: 'my "laptop"', boundPrincipal: 'alice' } as KeyMeta;
    const fullText = renderKeyMeta(full);
    expect(fullText).toContain('bound_principal = "alice"');
    expect(parseKeyMeta(fullText, 'm')).toEqual(full);
  });

  it('refuses a newer schema_version with an upgrade hint', () => {
    expect(() =>
      parseKeyMeta(renderKeyMeta(base).replace('= 1\n', '= 2\n'), 'k.meta.toml'),
    ).toThrow(/k\.meta\.toml has schema_version 2, written by a newer astrid.*upgrade astrid/);
  });

  it('ignores unknown keys', () => {
    expect(parseKeyMeta(`${renderKeyMeta(base)}future = true\n`, 'm')).toEqual(base);
  });

  it.each([
    ['not toml [', /not valid TOML/],
    [renderKeyMeta(base).replace('schema_version = 1', 'schema_version = "1"'), /schema_version/],
    [renderKeyMeta(base).replace(FP, 'xyz'), /fingerprint must be 64/],
    [renderKeyMeta(base).replace('1700000000', '-1'), /created_at_epoch/],
    [renderKeyMeta(base).replace('"file"', '"keychain"'), /backend "keychain" is not supported/],
    [`${renderKeyMeta(base)}note = 3\n`, /note must be a string/],
    [`${renderKeyMeta(base)}bound_principal = "a b"\n`, /bound_principal/],
  ])('rejects a damaged file (%#)', (text, message) => {
    expect(() => parseKeyMeta(text, 'm')).toThrow(message);
  });
});
