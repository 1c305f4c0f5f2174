import { describe, expect, it } from 'vitest';
import { changeLines, countChanges, parseChanges } from './workspace-changes.js';

describe('workspace changes', () => {
  it('parses kernel rows (dropping malformed ones) and renders A/M/D lines', () => {
    const changes = parseChanges([
      { path: 'notes', kind: 'added', type: 'directory' },
      { path: 'notes/a.txt', kind: 'added', type: 'file' },
      { path: 'README.md', kind: 'modified', type: 'file' },
      { path: 'link', kind: 'deleted', type: 'symlink' },
      { path: 'x', kind: 'renamed', type: 'file' },
      'junk',
    ]);
    expect(changeLines(changes)).toEqual([
      '  A  notes/',
      '  A  notes/a.txt',
      '  M  README.md',
      '  D  link (symlink)',
    ]);
    expect(parseChanges(undefined)).toEqual([]);
  });

  it('counts in words', () => {
    expect(countChanges(1)).toBe('1 change');
    expect(countChanges(0)).toBe('0 changes');
  });
});
