import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { checkVersion } from './version.js';
import { VersionRequirement } from './version-requirement.js';

const req = (s: string) => VersionRequirement.parse(s);

describe('full versions', () => {
  it.each([
    '1.0.0',
    '0.0.0',
    '10.20.30',
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0+build.5',
    '1.0.0-rc.1+b',
  ])('accepts %j', (v) => expect(checkVersion(v).ok).toBe(true));
  it.each([
    '1.0',
    '1',
    'latest',
    'v1.0.0',
    '01.0.0',
    '1.0.0-',
    '1.0.0.0',
    ' 1.0.0',
    '1.0.0-01',
    '',
  ])('rejects %j', (v) => {
    const r = checkVersion(v);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('MAJOR.MINOR.PATCH');
  });
});

// [requirement, version, matches]
const CASES: ReadonlyArray<[string, string, boolean]> = [
  // bare = caret
  ['1.0', '1.0.0', true],
  ['1.0', '1.9.9', true],
  ['1.0', '2.0.0', false],
  ['1.0', '0.9.0', false],
  ['1', '1.5.0', true],
  ['1', '2.0.0', false],
  ['1.2.3', '1.2.3', true],
  ['1.2.3', '1.9.0', true],
  ['1.2.3', '1.2.2', false],
  ['0.2.3', '0.2.9', true],
  ['0.2.3', '0.3.0', false],
  ['0.0.3', '0.0.3', true],
  ['0.0.3', '0.0.4', false],
  ['0.0', '0.0.9', true],
  ['0.0', '0.1.0', false],
  ['0', '0.9.0', true],
  ['0', '1.0.0', false],
  ['^1.2', '1.2.0', true],
  ['^1.2', '1.1.0', false],
  ['^0.2', '0.2.5', true],
  ['^0.2', '0.3.0', false],
  // tilde
  ['~1.2.3', '1.2.9', true],
  ['~1.2.3', '1.3.0', false],
  ['~1.2', '1.2.0', true],
  ['~1.2', '1.3.0', false],
  ['~1', '1.9.0', true],
  ['~1', '2.0.0', false],
  // exact and partial exact
  ['=1.2.3', '1.2.3', true],
  ['=1.2.3', '1.2.4', false],
  ['=1.2', '1.2.7', true],
  ['=1.2', '1.3.0', false],
  ['=1', '1.7.0', true],
  // comparisons with partial versions keep Cargo's meaning
  ['>1.2', '1.2.9', false],
  ['>1.2', '1.3.0', true],
  ['>1', '1.9.0', false],
  ['>1', '2.0.0', true],
  ['>=1.2', '1.2.0', true],
  ['>=1.2', '1.1.9', false],
  ['<1.2', '1.1.9', true],
  ['<1.2', '1.2.0', false],
  ['<=1.2', '1.2.9', true],
  ['<=1.2', '1.3.0', false],
  ['>1.2.3', '1.2.4', true],
  ['>1.2.3', '1.2.3', false],
  // comma-joined clauses
  ['>=1.0, <2.0', '1.5.0', true],
  ['>=1.0, <2.0', '2.0.0', false],
  ['>= 1.2 , < 1.5', '1.4.9', true],
  ['>= 1.2 , < 1.5', '1.5.0', false],
  // wildcards
  ['*', '0.0.1', true],
  ['*', '99.0.0', true],
  ['1.*', '1.9.0', true],
  ['1.*', '2.0.0', false],
  ['1.2.*', '1.2.9', true],
  ['1.2.*', '1.3.0', false],
  ['1.x', '1.4.0', true],
  // pre-releases only match a clause on the same MAJOR.MINOR.PATCH with a pre-release
  ['*', '1.0.0-alpha', false],
  ['1.0', '1.0.1-alpha', false],
  ['^1.0.0-alpha', '1.0.0-alpha', true],
  ['^1.0.0-alpha', '1.0.0-beta', true],
  ['^1.0.0-alpha', '1.0.0', true],
  ['^1.0.0-beta', '1.0.0-alpha', false],
  ['^1.0.0-alpha', '1.0.1-alpha', false],
  ['>=1.0.0-rc.1, <2.0.0', '1.0.0-rc.2', true],
  ['=1.0.0-rc.1', '1.0.0-rc.1', true],
  ['=1.0.0-rc.1', '1.0.0', false],
];

describe('Cargo version requirements', () => {
  it.each(CASES)('%j matches %s → %s', (r, v, expected) => {
    expect(req(r).matches(v)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['  ', 'empty'],
    ['1.0,', 'empty clause'],
    ['>=1.0 <2.0', "separate clauses with ','"],
    ['1.0 || 2.0', "separate clauses with ','"],
    ['1.0.0 - 2.0.0', "separate clauses with ','"],
    ['1.0.0-', 'not a valid pre-release'],
    ['latest', 'not a number'],
    ['1.2.3.4', 'expected MAJOR[.MINOR[.PATCH]]'],
    ['01.0', 'not a number'],
    ['>=1.*', 'cannot be combined with an operator'],
    ['*.1', 'may not follow a wildcard'],
    ['*.*', "'*' must stand alone"],
    ['1.*.3', 'may not follow a wildcard'],
    ['1.2-alpha', 'needs a full MAJOR.MINOR.PATCH'],
    ['1.0.0+build', 'build metadata'],
  ])('rejects %j', (r, why) => {
    const result = VersionRequirement.check(r);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-input');
      expect(result.error.message).toContain(why);
    }
  });

  it('differs from npm semver where the two readings disagree', () => {
    // npm reads a bare partial version as an X-range: "1.0" = "1.0.x".
    expect(semver.satisfies('1.5.0', '1.0')).toBe(false);
    expect(req('1.0').matches('1.5.0')).toBe(true);
    // npm does not treat a comma as a clause separator.
    expect(semver.validRange('>=1.0, <2.0')).toBeNull();
    expect(req('>=1.0, <2.0').matches('1.2.0')).toBe(true);
    // npm reads "1.2.3" as exact; Cargo as ^1.2.3.
    expect(semver.satisfies('1.3.0', '1.2.3')).toBe(false);
    expect(req('1.2.3').matches('1.3.0')).toBe(true);
    // npm accepts "||" unions and hyphen ranges; Cargo has neither.
    expect(semver.satisfies('2.0.0', '1.0 || 2.0')).toBe(true);
    expect(VersionRequirement.check('1.0 || 2.0').ok).toBe(false);
  });

  it('keeps its source text', () => {
    expect(req('>=1.0, <2.0').toString()).toBe('>=1.0, <2.0');
  });
});
