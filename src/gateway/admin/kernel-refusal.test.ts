import { describe, expect, it } from 'vitest';
import { AstridError } from '../../core/errors.js';
import { kernelRefusal } from './kernel-refusal.js';

const invalid = new AstridError('invalid-input', 'the default principal cannot be deleted');

describe('kernelRefusal', () => {
  it('turns an invalid-input refusal on a protected target into 403 with the reason', () => {
    expect(kernelRefusal(invalid, true).body()).toEqual({
      error: 'forbidden',
      reason: 'the default principal cannot be deleted',
    });
    expect(kernelRefusal(invalid, true).status).toBe(403);
  });

  it('leaves invalid input on other targets a 400', () => {
    const http = kernelRefusal(invalid, false);
    expect(http.status).toBe(400);
    expect(http.tag).toBe('bad_request');
  });

  it('maps other codes the usual way, protected or not', () => {
    for (const protectedTarget of [true, false]) {
      expect(kernelRefusal(new AstridError('not-found', 'gone'), protectedTarget).status).toBe(404);
      expect(
        kernelRefusal(new AstridError('capability-denied', 'no'), protectedTarget).status,
      ).toBe(403);
      expect(kernelRefusal(new AstridError('timeout', 'slow'), protectedTarget).status).toBe(500);
    }
  });
});
