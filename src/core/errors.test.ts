import { describe, expect, it } from 'vitest';
import {
  AstridError,
  ERROR_CODES,
  err,
  invalidInput,
  isAstridError,
  isErrorCode,
  ok,
  unwrap,
} from './errors.js';

describe('AstridError', () => {
  it('carries a stable code, message and optional details', () => {
    const e = new AstridError('not-found', 'principal bob does not exist', {
      details: { principal: 'bob' },
    });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('not-found');
    expect(e.toJSON()).toEqual({
      code: 'not-found',
      message: 'principal bob does not exist',
      details: { principal: 'bob' },
    });
    expect(invalidInput('x').toJSON()).toEqual({ code: 'invalid-input', message: 'x' });
  });

  it('keeps the cause', () => {
    const cause = new Error('disk');
    expect(new AstridError('internal', 'write failed', { cause }).cause).toBe(cause);
  });

  it('recognises codes and errors', () => {
    expect(ERROR_CODES).toContain('capability-denied');
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES) expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(isErrorCode('timeout')).toBe(true);
    expect(isErrorCode('nope')).toBe(false);
    expect(isAstridError(invalidInput('x'), 'invalid-input')).toBe(true);
    expect(isAstridError(invalidInput('x'), 'timeout')).toBe(false);
    expect(isAstridError(new Error('x'))).toBe(false);
  });

  it('unwraps results', () => {
    expect(unwrap(ok(3))).toBe(3);
    expect(() => unwrap(err(invalidInput('bad')))).toThrow('bad');
  });
});
