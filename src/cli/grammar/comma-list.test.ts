import { describe, expect, it } from 'vitest';
import { collectList, splitList } from './comma-list.js';

describe('splitList / collectList', () => {
  it('splits on commas, trims and drops empty items', () => {
    expect(splitList('a,b')).toEqual(['a', 'b']);
    expect(splitList(' a , b,,c, ')).toEqual(['a', 'b', 'c']);
    expect(splitList('')).toEqual([]);
  });

  it('accumulates repeated options', () => {
    expect(collectList('b,c', collectList('a'))).toEqual(['a', 'b', 'c']);
    expect(collectList('x', [])).toEqual(['x']);
  });
});
