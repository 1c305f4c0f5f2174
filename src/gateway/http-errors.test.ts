import { describe, expect, it } from 'vitest';
import { AstridError } from '../core/errors.js';
import { badRequest, fromKernelError, HttpError, rateLimited } from './http-errors.js';

describe('fromKernelError', () => {
  it.each([
    ['capability-denied', 403, { error: 'forbidden', reason: 'msg' }],
    ['invalid-input', 400, { error: 'bad_request', reason: 'msg' }],
    ['not-found', 404, { error: 'not_found' }],
    ['already-exists', 409, { error: 'conflict', reason: 'msg' }],
    ['unavailable', 500, { error: 'internal' }],
    ['timeout', 500, { error: 'internal' }],
    ['internal', 500, { error: 'internal' }],
  ] as const)('%s → %i', (code, status, body) => {
    const e = fromKernelError(new AstridError(code, 'msg'));
    expect(e.status).toBe(status);
    expect(e.body()).toEqual(body);
  });

  it('rate-limited → 429 with retry_after_secs', () => {
    const e = fromKernelError(new AstridError('rate-limited', 'slow down'));
    expect(e.status).toBe(429);
    expect(e.body().retry_after_secs).toBeGreaterThanOrEqual(1);
    expect(
      fromKernelError(new AstridError('rate-limited', 'x', { details: { retry_after_secs: 7 } }))
        .retryAfterSecs,
    ).toBe(7);
  });

  it('keeps the cause of a 500 for the log, never in the body', () => {
    const cause = new Error('socket closed');
    const e = fromKernelError(cause);
    expect(e.status).toBe(500);
    expect(e.cause).toBe(cause);
    expect(JSON.stringify(e.body())).not.toContain('socket');
  });

  it('passes HttpErrors through and renders helpers', () => {
    const e = badRequest('bad');
    expect(fromKernelError(e)).toBe(e);
    expect(rateLimited(0.2).body()).toEqual({ error: 'rate_limited', retry_after_secs: 1 });
    expect(new HttpError(502, 'kernel', { reason: 'x' }).body()).toEqual({
      error: 'kernel',
      reason: 'x',
    });
  });
});
