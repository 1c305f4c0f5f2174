import type { DistroDocument } from '../config/gateway-config.js';

/** JSON as it leaves the gateway (TOML dates become ISO strings, big integers numbers). */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** `GET /api/distribution` (spec §1.7 DistributionInfo). */
export interface DistributionInfo {
  readonly id: string;
  readonly name: string;
  readonly pretty_name: string | null;
  readonly description: string | null;
  readonly homepage: string | null;
  readonly invites_enabled: boolean;
  readonly branding: { [key: string]: JsonValue } | null;
}

/** One `[variables.<key>]` of the distro, as the onboarding form asks for it. */
export interface OnboardingVariable {
  readonly key: string;
  readonly secret: boolean;
  readonly description: string | null;
  readonly default: string | null;
}

/** What a gateway without `distro-path` reports: a single-tenant install. */
export const SINGLE_TENANT: DistributionInfo = Object.freeze({
  id: 'single-tenant',
  name: 'Astrid',
  pretty_name: null,
  description: null,
  homepage: null,
  invites_enabled: false,
  branding: null,
});

function isTable(value: unknown): value is Readonly<Record<string, unknown>> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

function stringOr<T>(
  table: Readonly<Record<string, unknown>>,
  key: string,
  fallback: T,
): string | T {
  const value = table[key];
  return typeof value === 'string' ? value : fallback;
}

/** Converts a parsed TOML value to JSON. Pure. */
export function tomlToJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  // TOML date-times (smol-toml's TomlDate extends Date) keep their TOML text.
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(tomlToJson);
  if (isTable(value)) {
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value).sort()) out[key] = tomlToJson(value[key]);
    return out;
  }
  return String(value);
}

/**
 * The distribution the gateway reflects: `[distro]` keys (`id` defaults to
 * "unknown", `name` to "Astrid"), invites enabled when `[invites].issuers` is a
 * non-empty array, `[branding]` as JSON. No document → single tenant. Pure.
 */
export function distributionInfo(doc: DistroDocument | null): DistributionInfo {
  if (doc === null) return SINGLE_TENANT;
  const distro = isTable(doc.distro) ? doc.distro : {};
  const invites = isTable(doc.invites) ? doc.invites : {};
  const branding = isTable(doc.branding) ? tomlToJson(doc.branding) : null;
  return {
    id: stringOr(distro, 'id', 'unknown'),
    name: stringOr(distro, 'name', 'Astrid'),
    pretty_name: stringOr(distro, 'pretty-name', null),
    description: stringOr(distro, 'description', null),
    homepage: stringOr(distro, 'homepage', null),
    invites_enabled: Array.isArray(invites.issuers) && invites.issuers.length > 0,
    branding: isTable(branding) ? (branding as { [key: string]: JsonValue }) : null,
  };
}

/**
 * The onboarding form: one field per `[variables.<key>]` (sorted by key),
 * `secret` defaulting to false; non-table entries are skipped. Pure.
 */
export function onboardingVariables(doc: DistroDocument | null): OnboardingVariable[] {
  if (doc === null || !isTable(doc.variables)) return [];
  const variables = doc.variables;
  const out: OnboardingVariable[] = [];
  for (const key of Object.keys(variables).sort()) {
    const v = variables[key];
    if (!isTable(v)) continue;
    const fallback = v.default;
    out.push({
      key,
      secret: v.secret === true,
      description: stringOr(v, 'description', null),
      default:
        fallback === undefined || fallback === null
          ? null
          : typeof fallback === 'string'
            ? fallback
            : JSON.stringify(tomlToJson(fallback)),
    });
  }
  return out;
}
