import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { readKernelAnswer } from './kernel-answer.js';

const Names = Type.Array(Type.String());

describe('readKernelAnswer', () => {
  it('returns data of the expected variant and shape', () => {
    expect(readKernelAnswer({ status: 'Success', data: ['a', 'b'] }, 'Success', Names)).toEqual([
      'a',
      'b',
    ]);
  });

  it('refuses another variant or shape as an internal error', () => {
    expect(() => readKernelAnswer({ status: 'Status', data: [] }, 'Success', Names)).toThrow(
      expect.objectContaining({
        code: 'internal',
        message: 'the kernel answered Status where Success was expected',
      }),
    );
    expect(() => readKernelAnswer({ status: 'Success', data: [1] }, 'Success', Names)).toThrow(
      /unexpected shape \(\/0: /,
    );
  });
});
