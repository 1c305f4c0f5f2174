import { describe, expect, it } from 'vitest';
import { commandAllowed, commandLine } from './command-gate.js';

describe('commandAllowed', () => {
  it('allows a bare command with any arguments', () => {
    expect(commandAllowed(['echo'], 'echo', [])).toBe(true);
    expect(commandAllowed(['echo'], 'echo', ['hello', 'world'])).toBe(true);
  });

  it('allows only command lines that start with every word of an entry', () => {
    const entries = ['git status'];
    expect(commandAllowed(entries, 'git', ['status'])).toBe(true);
    expect(commandAllowed(entries, 'git', ['status', '--short'])).toBe(true);
    expect(commandAllowed(entries, 'git', ['push'])).toBe(false);
    expect(commandAllowed(entries, 'git', [])).toBe(false);
    expect(commandAllowed(entries, 'git', ['--short', 'status'])).toBe(false);
  });

  it('compares whole words, not string prefixes', () => {
    expect(commandAllowed(['git'], 'gitk', [])).toBe(false);
    expect(commandAllowed(['git stat'], 'git', ['status'])).toBe(false);
    expect(commandAllowed(['git status'], 'git', ['status-x'])).toBe(false);
  });

  it('is case-sensitive and does not resolve paths', () => {
    expect(commandAllowed(['echo'], 'ECHO', [])).toBe(false);
    expect(commandAllowed(['echo'], '/bin/echo', [])).toBe(false);
    expect(commandAllowed(['/bin/echo'], '/bin/echo', ['x'])).toBe(true);
  });

  it('does not let an argument that contains spaces satisfy two words', () => {
    expect(commandAllowed(['git status --short'], 'git', ['status --short'])).toBe(false);
    expect(commandAllowed(['sh -c'], 'sh', ['-c echo'])).toBe(false);
  });

  it('splits entries on any whitespace and ignores surrounding whitespace', () => {
    expect(commandAllowed(['  git \t status  '], 'git', ['status', '-s'])).toBe(true);
    expect(commandAllowed(['npm\nrun   test'], 'npm', ['run', 'test'])).toBe(true);
    expect(commandAllowed(['npm\nrun   test'], 'npm', ['run', 'build'])).toBe(false);
  });

  it('never treats a blank entry as allowing everything', () => {
    expect(commandAllowed([''], 'rm', ['-rf', '/'])).toBe(false);
    expect(commandAllowed(['   \t'], 'rm', [])).toBe(false);
  });

  it('denies when there are no entries and allows when any entry matches', () => {
    expect(commandAllowed([], 'echo', [])).toBe(false);
    expect(commandAllowed(['ls', 'git status', 'cat'], 'git', ['status'])).toBe(true);
    expect(commandAllowed(['ls', 'git status', 'cat'], 'cat', ['/etc/hosts'])).toBe(true);
    expect(commandAllowed(['ls', 'git status', 'cat'], 'git', ['log'])).toBe(false);
  });

  it('refuses an entry longer than the command line', () => {
    expect(commandAllowed(['git status --short'], 'git', ['status'])).toBe(false);
  });
});

describe('commandLine', () => {
  it('joins the command and its arguments with single spaces', () => {
    expect(commandLine('git', ['status', '--short'])).toBe('git status --short');
    expect(commandLine('ls', [])).toBe('ls');
    expect(commandLine('echo', ['a b', ''])).toBe('echo a b ');
  });
});
