import { describe, expect, it } from 'vitest';
import { HttpError } from '../http-errors.js';
import { toHttpError } from './error-reply.js';

const framework = (props: Record<string, unknown>, message = 'boom') =>
  Object.assign(new Error(message), props);

describe('toHttpError', () => {
  it('keeps HttpErrors', () => {
    const e = new HttpError(403, 'forbidden', { reason: 'no' });
    expect(toHttpError(e)).toBe(e);
  });

  it('maps schema validation to 400 bad_request with the validator message', () => {
    const e = toHttpError(
      framework({ validation: [], statusCode: 400 }, "body must have required property 'name'"),
    );
    expect(e.body()).toEqual({
      error: 'bad_request',
      reason: "body must have required property 'name'",
    });
  });

  it('maps an oversized body to 400 "body read:"', () => {
    const e = toHttpError(
      framework(
        { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 },
        'Request body is too large',
      ),
    );
    expect(e.status).toBe(400);
    expect(e.reason).toMatch(/^body read: /);
  });

  it('maps other client errors by status and hides server errors', () => {
    expect(toHttpError(framework({ statusCode: 415 })).tag).toBe('unsupported_media_type');
    expect(toHttpError(framework({ statusCode: 404 })).body()).toEqual({ error: 'not_found' });
    expect(toHttpError(framework({ statusCode: 400 })).tag).toBe('bad_request');
    const hidden = toHttpError(new Error('database exploded'));
    expect(hidden.status).toBe(500);
    expect(hidden.body()).toEqual({ error: 'internal' });
    expect(toHttpError('a string').status).toBe(500);
  });
});
