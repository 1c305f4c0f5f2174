import { describe, expect, it } from 'vitest';
import { absentRemovals, descriptionChange, nextCapabilities, sameList } from './group-edit.js';

describe('nextCapabilities', () => {
  it('removes first, then appends additions without duplicates', () => {
    expect(nextCapabilities(['a', 'b', 'c'], ['d', 'a', 'd'], ['b'])).toEqual(['a', 'c', 'd']);
    expect(nextCapabilities(['a'], ['a'], ['a'])).toEqual(['a']);
    expect(nextCapabilities(['a', 'b'], [], ['a', 'b'])).toEqual([]);
  });

  it('lists removals that are not present', () => {
    expect(absentRemovals(['a'], ['a', 'x'])).toEqual(['x']);
  });

  it('compares lists in order', () => {
    expect(sameList(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameList(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameList(['a'], ['a', 'b'])).toBe(false);
  });
});

describe('descriptionChange', () => {
  it('keeps, clears (null) or replaces the description', () => {
    expect(descriptionChange(undefined)).toEqual({});
    expect(descriptionChange('')).toEqual({ description: null });
    expect(descriptionChange('  ')).toEqual({ description: null });
    expect(descriptionChange('Ops')).toEqual({ description: 'Ops' });
  });
});
