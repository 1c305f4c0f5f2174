import type { EnvDef, EnvKind } from './manifest.js';
import { quoteKey, type TableReader } from './toml-reader.js';

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** Keys the engine sets itself; a manifest may not claim them. */
export const RESERVED_ENV_KEYS = ['ASTRID_SOCKET_PATH', 'ASTRID_SESSION_TOKEN'] as const;

/** Reads the type case-insensitively; unknown types behave as text. */
export function envKindOf(type: string): EnvKind | null {
  const t = type.toLowerCase();
  return t === 'secret' || t === 'text' || t === 'select' || t === 'array' ? t : null;
}

/** Non-string defaults are stringified as compact JSON (`8080`, `true`, `["a","b"]`). */
export function stringifyDefault(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
}

/** `[env.KEY]` tables, sorted by key. */
export function readEnv(reader: TableReader | null): EnvDef[] {
  if (reader === null) return [];
  const out: EnvDef[] = [];
  for (const key of Object.keys(reader.table).sort()) {
    if (!ENV_KEY.test(key)) {
      reader.error(
        'env-key-invalid',
        quoteKey(key),
        `env key ${JSON.stringify(key)} is not a variable name: use a letter or _ then letters, digits or _, at most 128 characters (e.g. API_KEY)`,
      );
      continue;
    }
    if ((RESERVED_ENV_KEYS as readonly string[]).includes(key)) {
      reader.warn(
        'env-key-reserved',
        key,
        `${key} is set by the runtime and will be ignored; choose another name`,
      );
      continue;
    }
    const def = reader.subTable(key, '{ type = "text" }');
    if (def === null) continue;
    const type = def.requiredString('type', '"text" (or "secret", "select", "array")');
    if (type === null) continue;
    let kind = envKindOf(type);
    if (kind === null) {
      def.warn(
        'env-type-unknown',
        'type',
        `unknown type ${JSON.stringify(type)} is treated as "text"; use secret, text, select or array`,
      );
      kind = 'text';
    }
    const enumValues = def.stringList('enum_values', '["a", "b"]');
    if (kind === 'secret' && enumValues.length > 0) {
      def.warn(
        'secret-enum-ignored',
        'enum_values',
        'is ignored for secrets; a secret is always a masked free-text field',
      );
    }
    out.push({
      key,
      type,
      kind,
      request: def.optionalString('request'),
      description: def.optionalString('description'),
      default: def.has('default') ? stringifyDefault(def.table.default) : null,
      enumValues,
      placeholder: def.optionalString('placeholder'),
    });
  }
  return out;
}
