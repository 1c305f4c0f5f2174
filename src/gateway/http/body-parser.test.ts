import { describe, expect, it } from 'vitest';
import { HttpError } from '../http-errors.js';
import { parseJsonBody } from './body-parser.js';

function failure(text: string): HttpError {
  try {
    parseJsonBody(text);
  } catch (e) {
    if (e instanceof HttpError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('parseJsonBody', () => {
  it('parses JSON and treats an empty body as absent', () => {
    expect(parseJsonBody('{"a":[1,{"b":null}]}')).toEqual({ a: [1, { b: null }] });
    expect(parseJsonBody('  ')).toBeUndefined();
    expect(parseJsonBody('"constructor"')).toBe('constructor');
    expect(parseJsonBody('{"constructor": "x"}')).toEqual({ constructor: 'x' });
  });

  it('refuses invalid JSON with 400 "invalid JSON:"', () => {
    const e = failure('{"a":');
    expect(e.status).toBe(400);
    expect(e.reason).toMatch(/^invalid JSON: /);
  });

  it('refuses prototype-poisoning keys at any depth', () => {
    expect(failure('{"__proto__": {"admin": true}}').reason).toBe(
      'invalid JSON: forbidden key "__proto__"',
    );
    expect(failure('[{"x": {"constructor": {"prototype": {}}}}]').reason).toBe(
      'invalid JSON: forbidden key "constructor.prototype"',
    );
  });
});
