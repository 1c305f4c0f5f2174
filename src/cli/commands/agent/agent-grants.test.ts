import { describe, expect, it } from 'vitest';
import { creationGrants } from './agent-grants.js';

describe('creationGrants', () => {
  it('builds network:egress and process:spawn grants without duplicates', () => {
    expect(creationGrants(['api-example', 'x', 'x'], ['git', '*'])).toEqual({
      ok: true,
      value: [
        'network:egress:api-example',
        'network:egress:x',
        'process:spawn:git',
        'process:spawn:*',
      ],
    });
    expect(creationGrants([], [])).toEqual({ ok: true, value: [] });
  });

  it('refuses entries the capability grammar rejects, naming the flag', () => {
    const dotted = creationGrants(['api.example.com'], []);
    expect(dotted.ok).toBe(false);
    if (!dotted.ok) {
      expect(dotted.error.code).toBe('invalid-input');
      expect(dotted.error.message).toMatch(
        /^--egress "api.example.com" does not make a valid capability: .*invalid character "\."/,
      );
    }
    const colon = creationGrants([], ['a:']);
    expect(colon.ok).toBe(false);
    if (!colon.ok) expect(colon.error.message).toMatch(/^--process-allow "a:".*empty segment/);
  });
});
