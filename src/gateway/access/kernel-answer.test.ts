import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { readAnswer } from './kernel-answer.js';

const Names = Type.Array(Type.String());

describe('readAnswer', () => {
  it('returns data of the expected variant and shape', () => {
    expect(readAnswer({ status: 'Success', data: ['a', 'b'] }, 'Success', Names)).toEqual([
      'a',
      'b',
    ]);
  });

  it('refuses another variant or shape as an internal error', () => {
    expect(() => readAnswer({ status: 'Status', data: [] }, 'Success', Names)).toThrow(
      expect.objectContaining({
        code: 'internal',
        message: 'the kernel answered Status where Success was expected',
      }),
    );
    expect(() => readAnswer({ status: 'Success', data: [1] }, 'Success', Names)).toThrow(
      /unexpected shape \(\/0: /,
    );
  });
});
