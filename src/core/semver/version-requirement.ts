import { SemVer } from 'semver';
import { type AstridError, err, invalidInput, ok, type Result } from '../errors.js';

/**
 * Version requirements with Cargo semantics, evaluated against `semver`
 * versions:
 *
 * - a bare version is a caret requirement (`1.0` = `^1.0` = `>=1.0.0, <2.0.0`),
 *   unlike npm where `1.0` means `1.0.x`;
 * - clauses are joined with commas and must all hold (`>=1.2, <1.5`);
 * - `*`, `1.*`, `1.2.*` (or `x`/`X`) are wildcards;
 * - partial versions keep Cargo's meaning per operator (`>1.2` = `>=1.3.0`,
 *   `<=1.2` = `<1.3.0`, `=1.2` = `1.2.x`);
 * - a pre-release version matches only if some clause names the same
 *   `MAJOR.MINOR.PATCH` with a pre-release of its own.
 */

type Op = 'exact' | 'greater' | 'greater-eq' | 'less' | 'less-eq' | 'tilde' | 'caret' | 'wildcard';

interface Comparator {
  readonly op: Op;
  readonly major: number;
  readonly minor: number | null;
  readonly patch: number | null;
  /** Pre-release as a comparable version `0.0.0-<pre>`, or null. */
  readonly pre: SemVer | null;
}

const OPS: ReadonlyArray<[string, Op]> = [
  ['>=', 'greater-eq'],
  ['<=', 'less-eq'],
  ['>', 'greater'],
  ['<', 'less'],
  ['=', 'exact'],
  ['~', 'tilde'],
  ['^', 'caret'],
];

const NUMBER = /^(0|[1-9]\d*)$/;
const WILD = /^[*xX]$/;
const PRE = /^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$/;
const MAX_CLAUSES = 32;

export class VersionRequirement {
  readonly source: string;
  private readonly comparators: readonly Comparator[];

  private constructor(source: string, comparators: readonly Comparator[]) {
    this.source = source;
    this.comparators = comparators;
  }

  static check(source: string): Result<VersionRequirement, AstridError> {
    const text = source.trim();
    const fail = (why: string) =>
      err(invalidInput(`invalid version requirement ${JSON.stringify(source)}: ${why}`));
    if (text.length === 0) return fail('it is empty; write a version such as "1.0" or "*"');
    const clauses = text.split(',').map((c) => c.trim());
    if (clauses.length > MAX_CLAUSES) return fail(`more than ${MAX_CLAUSES} clauses`);
    if (clauses.length === 1 && WILD.test(clauses[0] as string)) {
      return ok(new VersionRequirement(source, []));
    }
    const comparators: Comparator[] = [];
    for (const clause of clauses) {
      const parsed = parseClause(clause);
      if (typeof parsed === 'string') return fail(parsed);
      comparators.push(parsed);
    }
    return ok(new VersionRequirement(source, comparators));
  }

  static parse(source: string): VersionRequirement {
    const result = VersionRequirement.check(source);
    if (!result.ok) throw result.error;
    return result.value;
  }

  /** Whether `version` (a full semver string or `SemVer`) satisfies every clause. */
  matches(version: string | SemVer): boolean {
    const v = typeof version === 'string' ? new SemVer(version) : version;
    for (const c of this.comparators) {
      if (!matchesComparator(c, v)) return false;
    }
    if (v.prerelease.length === 0) return true;
    return this.comparators.some(
      (c) => c.pre !== null && c.major === v.major && c.minor === v.minor && c.patch === v.patch,
    );
  }

  toString(): string {
    return this.source;
  }
}

function parseClause(clause: string): Comparator | string {
  if (clause.length === 0) return 'empty clause between commas';
  let op: Op | null = null;
  let rest = clause;
  for (const [symbol, name] of OPS) {
    if (rest.startsWith(symbol)) {
      op = name;
      rest = rest.slice(symbol.length).trim();
      break;
    }
  }
  if (/\s/.test(rest)) {
    return `unexpected space in ${JSON.stringify(clause)}; separate clauses with ',' (e.g. ">=1.0, <2.0")`;
  }
  if (rest.includes('+'))
    return `build metadata is not allowed in a requirement (${JSON.stringify(clause)})`;
  const dash = rest.indexOf('-');
  const core = dash === -1 ? rest : rest.slice(0, dash);
  const preText = dash === -1 ? null : rest.slice(dash + 1);
  const parts = core.split('.');
  if (parts.length === 0 || parts.length > 3 || parts.some((p) => p.length === 0)) {
    return `${JSON.stringify(clause)} is not a version; expected MAJOR[.MINOR[.PATCH]]`;
  }
  const numbers: (number | null)[] = [];
  let sawWildcard = false;
  for (const part of parts) {
    if (WILD.test(part)) {
      sawWildcard = true;
      numbers.push(null);
      continue;
    }
    if (sawWildcard) return `${JSON.stringify(clause)}: a number may not follow a wildcard`;
    if (!NUMBER.test(part))
      return `${JSON.stringify(part)} in ${JSON.stringify(clause)} is not a number`;
    const n = Number(part);
    if (!Number.isSafeInteger(n)) return `${JSON.stringify(part)} is too large`;
    numbers.push(n);
  }
  if (sawWildcard) {
    if (op !== null)
      return `${JSON.stringify(clause)}: a wildcard cannot be combined with an operator`;
    if (preText !== null) return `${JSON.stringify(clause)}: a wildcard cannot have a pre-release`;
    if (numbers[0] === null) return `${JSON.stringify(clause)}: '*' must stand alone`;
    op = 'wildcard';
  }
  let pre: SemVer | null = null;
  if (preText !== null) {
    if (parts.length !== 3)
      return `${JSON.stringify(clause)}: a pre-release needs a full MAJOR.MINOR.PATCH`;
    if (!PRE.test(preText)) return `${JSON.stringify(preText)} is not a valid pre-release`;
    pre = new SemVer(`0.0.0-${preText}`);
  }
  return {
    op: op ?? 'caret',
    major: numbers[0] as number,
    minor: numbers[1] ?? null,
    patch: numbers[2] ?? null,
    pre,
  };
}

/** Compares pre-release parts; an empty pre-release is greater than any non-empty one. */
function comparePre(v: SemVer, pre: SemVer | null): number {
  const vPre = v.prerelease.length === 0 ? null : new SemVer(`0.0.0-${v.prerelease.join('.')}`);
  if (vPre === null && pre === null) return 0;
  if (vPre === null) return 1;
  if (pre === null) return -1;
  return vPre.comparePre(pre);
}

function matchesExact(c: Comparator, v: SemVer): boolean {
  if (v.major !== c.major) return false;
  if (c.minor !== null && v.minor !== c.minor) return false;
  if (c.patch !== null && v.patch !== c.patch) return false;
  return comparePre(v, c.pre) === 0;
}

function matchesGreater(c: Comparator, v: SemVer): boolean {
  if (v.major !== c.major) return v.major > c.major;
  if (c.minor === null) return false;
  if (v.minor !== c.minor) return v.minor > c.minor;
  if (c.patch === null) return false;
  if (v.patch !== c.patch) return v.patch > c.patch;
  return comparePre(v, c.pre) > 0;
}

function matchesLess(c: Comparator, v: SemVer): boolean {
  if (v.major !== c.major) return v.major < c.major;
  if (c.minor === null) return false;
  if (v.minor !== c.minor) return v.minor < c.minor;
  if (c.patch === null) return false;
  if (v.patch !== c.patch) return v.patch < c.patch;
  return comparePre(v, c.pre) < 0;
}

function matchesTilde(c: Comparator, v: SemVer): boolean {
  if (v.major !== c.major) return false;
  if (c.minor !== null && v.minor !== c.minor) return false;
  if (c.patch !== null && v.patch !== c.patch) return v.patch > c.patch;
  return comparePre(v, c.pre) >= 0;
}

function matchesCaret(c: Comparator, v: SemVer): boolean {
  if (v.major !== c.major) return false;
  if (c.minor === null) return true;
  if (c.patch === null) return c.major > 0 ? v.minor >= c.minor : v.minor === c.minor;
  if (c.major > 0) {
    if (v.minor !== c.minor) return v.minor > c.minor;
    if (v.patch !== c.patch) return v.patch > c.patch;
  } else if (c.minor > 0) {
    if (v.minor !== c.minor) return false;
    if (v.patch !== c.patch) return v.patch > c.patch;
  } else if (v.minor !== c.minor || v.patch !== c.patch) {
    return false;
  }
  return comparePre(v, c.pre) >= 0;
}

function matchesComparator(c: Comparator, v: SemVer): boolean {
  switch (c.op) {
    case 'exact':
      return matchesExact(c, v);
    case 'greater':
      return matchesGreater(c, v);
    case 'greater-eq':
      return matchesExact(c, v) || matchesGreater(c, v);
    case 'less':
      return matchesLess(c, v);
    case 'less-eq':
      return matchesExact(c, v) || matchesLess(c, v);
    case 'tilde':
      return matchesTilde(c, v);
    case 'caret':
      return matchesCaret(c, v);
    case 'wildcard':
      return v.major === c.major && (c.minor === null || v.minor === c.minor);
  }
}
