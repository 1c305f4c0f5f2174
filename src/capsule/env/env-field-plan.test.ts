import { describe, expect, it } from 'vitest';
import type { EnvDef, EnvKind } from '../manifest/manifest.js';
import { appendArrayItem, planEnvFieldWrite } from './env-field-plan.js';

function def(kind: EnvKind, enumValues: string[] = []): EnvDef {
  return {
    key: 'FIELD',
    type: kind.toUpperCase(),
    kind,
    request: null,
    description: null,
    default: null,
    enumValues,
    placeholder: null,
  };
}

describe('planEnvFieldWrite', () => {
  it('sends secrets to the secret store and text to the env file', () => {
    expect(planEnvFieldWrite(def('secret'), 'sk-1')).toEqual({
      ok: true,
      value: { store: 'secret', value: 'sk-1' },
    });
    expect(planEnvFieldWrite(def('text'), 'hello')).toEqual({
      ok: true,
      value: { store: 'env', value: 'hello' },
    });
  });

  it('checks a select value against its choices', () => {
    expect(planEnvFieldWrite(def('select', ['eu', 'us']), 'us')).toEqual({
      ok: true,
      value: { store: 'env', value: 'us' },
    });
    const bad = planEnvFieldWrite(def('select', ['eu', 'us']), 'mars');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toBe('FIELD must be one of eu, us (got "mars")');
    expect(planEnvFieldWrite(def('select'), 'anything').ok).toBe(true);
  });

  it('appends to arrays', () => {
    expect(planEnvFieldWrite(def('array'), 'x')).toEqual({
      ok: true,
      value: { store: 'env-append', item: 'x' },
    });
  });

  it('refuses empty values and oversized secrets', () => {
    for (const kind of ['secret', 'text', 'select', 'array'] as const) {
      const r = planEnvFieldWrite(def(kind), '');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalid-input');
    }
    expect(planEnvFieldWrite(def('secret'), 'a'.repeat(65_537)).ok).toBe(false);
  });
});

describe('appendArrayItem', () => {
  it('starts, extends and repairs arrays', () => {
    expect(appendArrayItem(undefined, 'a')).toEqual({ value: '["a"]', replacedScalar: false });
    expect(appendArrayItem('', 'a')).toEqual({ value: '["a"]', replacedScalar: false });
    expect(appendArrayItem('["a"]', 'b')).toEqual({ value: '["a","b"]', replacedScalar: false });
    expect(appendArrayItem('plain', 'b')).toEqual({ value: '["b"]', replacedScalar: true });
    expect(appendArrayItem('{"k":1}', 'b')).toEqual({ value: '["b"]', replacedScalar: true });
  });
});
