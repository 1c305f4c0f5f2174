import type {
  ManifestError,
  ManifestErrorCode,
  ManifestWarning,
  ManifestWarningCode,
} from './diagnostics.js';

export type TomlTable = Record<string, unknown>;

export function isTable(value: unknown): value is TomlTable {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

/** Where diagnostics go while a manifest is read: errors and warnings kept apart. */
export class DiagnosticSink {
  readonly errors: ManifestError[] = [];
  readonly warnings: ManifestWarning[] = [];

  error(code: ManifestErrorCode, table: string, key: string | null, message: string): void {
    this.errors.push({ code, table, key, message });
  }

  warn(code: ManifestWarningCode, table: string, key: string | null, message: string): void {
    this.warnings.push({ code, table, key, message });
  }
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `integer ${value}`;
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (isTable(value)) return 'a table';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * Reads typed keys from one TOML table. A wrong type or a missing required key
 * becomes an error naming the table, the key and what to write instead; the
 * reader returns a safe default so parsing can continue and report everything.
 */
export class TableReader {
  readonly table: TomlTable;
  readonly name: string;
  private readonly sink: DiagnosticSink;

  constructor(table: TomlTable, name: string, sink: DiagnosticSink) {
    this.table = table;
    this.name = name;
    this.sink = sink;
  }

  has(key: string): boolean {
    return this.table[key] !== undefined;
  }

  error(code: ManifestErrorCode, key: string | null, message: string): void {
    this.sink.error(code, this.name, key, message);
  }

  warn(code: ManifestWarningCode, key: string | null, message: string): void {
    this.sink.warn(code, this.name, key, message);
  }

  private wrongType(key: string, expected: string, example: string): void {
    this.error(
      'invalid-type',
      key,
      `must be ${expected} (got ${describe(this.table[key])}); write ${key} = ${example}`,
    );
  }

  requiredString(key: string, example: string): string | null {
    const v = this.table[key];
    if (v === undefined) {
      this.error('required-key-missing', key, `is required; write ${key} = ${example}`);
      return null;
    }
    if (typeof v !== 'string') {
      this.wrongType(key, 'a string', example);
      return null;
    }
    if (v.trim().length === 0) {
      this.error('required-key-missing', key, `must not be blank; write ${key} = ${example}`);
      return null;
    }
    return v;
  }

  /** A whole number in `[min, max]` (TOML integers only; `10.0` is a float and refused). */
  optionalInteger(key: string, min: number, max: number, what: string): number | null {
    const v = this.table[key];
    if (v === undefined) return null;
    if (typeof v !== 'bigint' || v < BigInt(min) || v > BigInt(max)) {
      this.error('invalid-type', key, `must be a whole number from ${min} to ${max}${what}`);
      return null;
    }
    return Number(v);
  }

  optionalString(key: string, example = '"..."'): string | null {
    const v = this.table[key];
    if (v === undefined) return null;
    if (typeof v !== 'string') {
      this.wrongType(key, 'a string', example);
      return null;
    }
    return v;
  }

  bool(key: string, fallback = false): boolean {
    const v = this.table[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') {
      this.wrongType(key, 'true or false', 'true');
      return fallback;
    }
    return v;
  }

  optionalBool(key: string): boolean | null {
    return this.has(key) ? this.bool(key) : null;
  }

  stringList(key: string, example = '["..."]'): string[] {
    const v = this.table[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
      this.wrongType(key, 'a list of strings', example);
      return [];
    }
    return [...v] as string[];
  }

  optionalStringList(key: string): string[] | null {
    return this.has(key) ? this.stringList(key) : null;
  }

  /** A sub-table; a non-table value is an error and reads as empty. */
  subTable(key: string, example: string): TableReader | null {
    const v = this.table[key];
    if (v === undefined) return null;
    if (!isTable(v)) {
      this.wrongType(key, 'a table', example);
      return null;
    }
    return new TableReader(v, childName(this.name, key), this.sink);
  }

  /** An array of tables (`[[name]]`); each element gets its own reader. */
  tableArray(key: string, label: string): TableReader[] {
    const v = this.table[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every(isTable)) {
      this.error('invalid-type', key, `must be an array of tables; write [[${key}]] sections`);
      return [];
    }
    return (v as TomlTable[]).map(
      (t, i) => new TableReader(t, `[[${label}]] #${i + 1}`, this.sink),
    );
  }
}

/** Quotes a TOML key when it is not a bare key. */
export function quoteKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

/** `[a]` + `b` → `[a.b]`; the root + `b` → `[b]`; `[[component]] #1` + `b` → `[[component]] #1.b`. */
function childName(parent: string, key: string): string {
  if (parent.length === 0) return `[${quoteKey(key)}]`;
  if (parent.startsWith('[[')) return `${parent}.${quoteKey(key)}`;
  return `[${parent.slice(1, -1)}.${quoteKey(key)}]`;
}
