import { stringify as tomlStringify } from 'smol-toml';

/** Output formats of listing and inspection verbs. */
export type OutputFormat = 'pretty' | 'json' | 'yaml' | 'toml';

/** `--format` values are case-insensitive; `yml` is `yaml`; anything unknown is pretty. */
export function parseFormat(value: string | undefined): OutputFormat {
  switch (value?.toLowerCase()) {
    case 'json':
      return 'json';
    case 'yaml':
    case 'yml':
      return 'yaml';
    case 'toml':
      return 'toml';
    default:
      return 'pretty';
  }
}

const PLAIN_YAML = /^[A-Za-z_][A-Za-z0-9_./@-]*$/;
const YAML_WORDS = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', '~']);

function yamlScalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  const s = String(value);
  return PLAIN_YAML.test(s) && !YAML_WORDS.has(s.toLowerCase()) ? s : JSON.stringify(s);
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function yamlLines(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}[]`];
    const out: string[] = [];
    for (const item of value) {
      if (isContainer(item) && (Array.isArray(item) ? item.length : Object.keys(item).length) > 0) {
        const inner = yamlLines(item, `${indent}  `);
        out.push(`${indent}- ${(inner[0] as string).trimStart()}`, ...inner.slice(1));
      } else {
        out.push(
          `${indent}- ${isContainer(item) ? (Array.isArray(item) ? '[]' : '{}') : yamlScalar(item)}`,
        );
      }
    }
    return out;
  }
  if (isContainer(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return [`${indent}{}`];
    const out: string[] = [];
    for (const [k, v] of entries) {
      const key = yamlScalar(k);
      const empty =
        isContainer(v) && (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);
      if (isContainer(v) && !empty) out.push(`${indent}${key}:`, ...yamlLines(v, `${indent}  `));
      else out.push(`${indent}${key}: ${empty ? (Array.isArray(v) ? '[]' : '{}') : yamlScalar(v)}`);
    }
    return out;
  }
  return [`${indent}${yamlScalar(value)}`];
}

/** A small, deterministic YAML rendering of JSON-like data (block style). Pure. */
export function toYaml(value: unknown): string {
  return `${yamlLines(value, '').join('\n')}\n`;
}

function tomlSafe(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(tomlSafe).filter((v) => v !== undefined);
  if (isContainer(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const safe = tomlSafe(v);
      if (safe !== undefined) out[k] = safe;
    }
    return out;
  }
  return value;
}

/**
 * TOML needs a table at the top: a list is rendered as `[[items]]`. TOML has
 * no null, so null fields are left out. Pure.
 */
export function toToml(value: unknown): string {
  const table = Array.isArray(value) ? { items: value } : isContainer(value) ? value : { value };
  const text = tomlStringify(tomlSafe(table) as Record<string, unknown>);
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Renders data in a structured format (JSON pretty-printed). */
export function renderStructured(value: unknown, format: Exclude<OutputFormat, 'pretty'>): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(value, null, 2)}\n`;
    case 'yaml':
      return toYaml(value);
    case 'toml':
      return toToml(value);
  }
}
