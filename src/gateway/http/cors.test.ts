import { describe, expect, it } from 'vitest';
import { corsDecision } from './cors.js';

const allow = new Set(['https://app.example', 'http://localhost:5173']);
const get = (origin?: string) => ({ method: 'GET', origin, requestMethod: undefined });

describe('corsDecision', () => {
  it('is absent without an allow-list, even when Origin is sent', () => {
    expect(corsDecision(new Set(), get('https://app.example'))).toBeNull();
  });

  it('echoes each listed origin, never *, with Vary: origin', () => {
    for (const origin of allow) {
      const d = corsDecision(allow, get(origin));
      expect(d?.headers).toEqual([
        ['Vary', 'origin'],
        ['Access-Control-Allow-Origin', origin],
      ]);
      expect(d?.preflight).toBe(false);
    }
  });

  it('gives an unlisted origin no Access-Control-Allow-Origin', () => {
    const d = corsDecision(allow, get('https://evil.example'));
    expect(d?.headers).toEqual([['Vary', 'origin']]);
  });

  it('answers a preflight itself, with methods, headers and max-age for a listed origin', () => {
    const d = corsDecision(allow, {
      method: 'OPTIONS',
      origin: 'https://app.example',
      requestMethod: 'POST',
    });
    expect(d?.preflight).toBe(true);
    expect(Object.fromEntries(d?.headers ?? [])).toEqual({
      Vary: 'origin',
      'Access-Control-Allow-Origin': 'https://app.example',
      'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': 'authorization, content-type, accept',
      'Access-Control-Max-Age': '3600',
    });
    const unlisted = corsDecision(allow, {
      method: 'OPTIONS',
      origin: 'https://x.example',
      requestMethod: 'GET',
    });
    expect(unlisted?.preflight).toBe(true);
    expect(unlisted?.headers).toEqual([['Vary', 'origin']]);
  });

  it('treats OPTIONS without Access-Control-Request-Method as an ordinary request', () => {
    expect(
      corsDecision(allow, {
        method: 'OPTIONS',
        origin: 'https://app.example',
        requestMethod: undefined,
      })?.preflight,
    ).toBe(false);
  });
});
