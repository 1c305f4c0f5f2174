import { describe, expect, it } from 'vitest';
import { readEmitEnv } from './emit-env.js';

const full = { ASTRID_PRINCIPAL_ID: 'alice', ASTRID_SESSION_ID: 's-1', ASTRID_HOOK_TOKEN: 't' };

describe('readEmitEnv', () => {
  it('reads the three variables', () => {
    expect(readEmitEnv(full)).toEqual({
      ok: true,
      value: { principalId: 'alice', sessionId: 's-1', token: 't' },
    });
  });

  it('names the first missing or empty variable, in order', () => {
    expect(readEmitEnv({})).toEqual({ ok: false, missing: 'ASTRID_PRINCIPAL_ID' });
    expect(readEmitEnv({ ...full, ASTRID_PRINCIPAL_ID: '' })).toEqual({
      ok: false,
      missing: 'ASTRID_PRINCIPAL_ID',
    });
    expect(readEmitEnv({ ASTRID_PRINCIPAL_ID: 'a', ASTRID_HOOK_TOKEN: 't' })).toEqual({
      ok: false,
      missing: 'ASTRID_SESSION_ID',
    });
    expect(readEmitEnv({ ...full, ASTRID_HOOK_TOKEN: '' })).toEqual({
      ok: false,
      missing: 'ASTRID_HOOK_TOKEN',
    });
  });
});
