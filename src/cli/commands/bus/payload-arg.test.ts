import { describe, expect, it } from 'vitest';
import { parsePayloadArg } from './payload-arg.js';

describe('parsePayloadArg', () => {
  it('parses any JSON value', () => {
    expect(parsePayloadArg('{"a":1}', 'argument')).toEqual({ a: 1 });
    expect(parsePayloadArg(' [1, "x"] \n', 'stdin')).toEqual([1, 'x']);
    expect(parsePayloadArg('42', 'argument')).toBe(42);
    expect(parsePayloadArg('null', 'argument')).toBeNull();
  });

  it('reports the parse error and where the payload came from', () => {
    expect(() => parsePayloadArg('{a:1}', 'argument')).toThrow(
      /^the payload \(argument\) is not valid JSON: .+/,
    );
    expect(() => parsePayloadArg('  ', 'stdin')).toThrow(
      'the payload (stdin) is empty; pass a JSON value',
    );
  });
});
