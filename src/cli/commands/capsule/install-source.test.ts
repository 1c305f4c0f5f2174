import { describe, expect, it } from 'vitest';
import { classifySource } from './install-source.js';

describe('classifySource', () => {
  it('local paths: dot or slash first, file://, bare names; .capsule in any case is an archive', () => {
    expect(classifySource('./demo', '/w')).toEqual({ kind: 'directory', path: '/w/demo' });
    expect(classifySource('/abs/x.CAPSULE', '/w')).toEqual({
      kind: 'archive',
      path: '/abs/x.CAPSULE',
    });
    expect(classifySource('file:///a/b', '/w')).toEqual({ kind: 'directory', path: '/a/b' });
    expect(classifySource('dist/demo.capsule', '/w')).toEqual({
      kind: 'archive',
      path: '/w/dist/demo.capsule',
    });
    // `.`/`/` first wins even when the rest looks like a network source.
    expect(classifySource('./github.com/a/b', '/w').kind).toBe('directory');
  });

  it('network sources are recognised with a hint naming the repository', () => {
    const at = classifySource('@unicity-astrid/capsule-cli', '/w');
    expect(at).toMatchObject({ kind: 'network', source: '@unicity-astrid/capsule-cli' });
    expect(at.kind === 'network' && at.fetchHint).toContain(
      'https://github.com/unicity-astrid/capsule-cli/releases',
    );
    for (const s of [
      'github.com/org/repo',
      'https://github.com/org/repo.git',
      'http://example.com/x.capsule',
      'gh:org/repo',
      'git@github.com:org/repo.git',
    ]) {
      expect(classifySource(s, '/w').kind).toBe('network');
    }
    const git = classifySource('https://github.com/org/repo.git', '/w');
    expect(git.kind === 'network' && git.fetchHint).toContain(
      '(or git clone https://github.com/org/repo)',
    );
  });
});
