import { describe, expect, it } from 'vitest';
import { coversKnownCapability } from './capability-warnings.js';

describe('coversKnownCapability', () => {
  it('accepts catalogued capabilities and patterns that cover one', () => {
    for (const cap of [
      'agent:create',
      'self:capsule:install',
      'agent:*',
      'self:*',
      '*',
      'uplink',
    ]) {
      expect(coversKnownCapability(cap)).toBe(true);
    }
  });

  it('flags capabilities nothing checks', () => {
    for (const cap of ['typo:thing', 'agent:creat', 'network:egress:x']) {
      expect(coversKnownCapability(cap)).toBe(false);
    }
  });
});
