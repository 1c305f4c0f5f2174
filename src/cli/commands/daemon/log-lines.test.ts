import { describe, expect, it } from 'vitest';
import { LineSplitter, lastLines, newestFile, parseLineCount } from './log-lines.js';

describe('newestFile', () => {
  it('picks the newest regular file, later name on a tie, ignoring directories', () => {
    expect(
      newestFile([
        { name: 'astrid.2026-01-01.log', mtimeMs: 10, isFile: true },
        { name: 'console', mtimeMs: 99, isFile: false },
        { name: 'astrid.2026-01-02.log', mtimeMs: 20, isFile: true },
        { name: 'astrid.2026-01-03.log', mtimeMs: 20, isFile: true },
      ]),
    ).toBe('astrid.2026-01-03.log');
    expect(newestFile([{ name: 'd', mtimeMs: 1, isFile: false }])).toBeNull();
    expect(newestFile([])).toBeNull();
  });
});

describe('lastLines', () => {
  it('returns the last n lines without a phantom empty line', () => {
    expect(lastLines('a\nb\nc\n', 2)).toEqual(['b', 'c']);
    expect(lastLines('a\nb\nc', 5)).toEqual(['a', 'b', 'c']);
    expect(lastLines('a\n\nb\n', 2)).toEqual(['', 'b']);
    expect(lastLines('a\nb\n', 0)).toEqual([]);
    expect(lastLines('', 3)).toEqual([]);
  });
});

describe('parseLineCount', () => {
  it('accepts whole numbers and refuses anything else', () => {
    expect(parseLineCount('0')).toBe(0);
    expect(parseLineCount('250')).toBe(250);
    for (const bad of ['-1', '1.5', 'ten', '', '99999999999999999999'])
      expect(() => parseLineCount(bad)).toThrow(/whole number of lines/);
  });
});

describe('LineSplitter', () => {
  it('emits complete lines and holds a partial one until its newline arrives', () => {
    const s = new LineSplitter();
    expect(s.push('one\ntw')).toEqual(['one']);
    expect(s.push('o\nthree')).toEqual(['two']);
    expect(s.push('\n')).toEqual(['three']);
    s.push('half');
    s.reset();
    expect(s.push('new\n')).toEqual(['new']);
  });
});
