import type { CapsuleManifest, EnvDef } from '../../capsule/manifest/manifest.js';

/** One `[env]` field as `GET /api/capsules/:id/env` describes it. */
export interface EnvFieldSchema {
  /** The effective type, read from the manifest's `type` (case-insensitive; unknown → `text`). */
  type: 'secret' | 'text' | 'select' | 'array';
  description?: string;
  request?: string;
  default?: string;
  enum_values?: string[];
  placeholder?: string;
}

/** Describes one field; optional keys are omitted when unset, `enum_values` when empty. Pure. */
export function envFieldSchema(def: EnvDef): EnvFieldSchema {
  const out: EnvFieldSchema = { type: def.kind };
  if (def.description !== null) out.description = def.description;
  if (def.request !== null) out.request = def.request;
  // A secret's default would be a secret in the manifest; it is still only the manifest's text.
  if (def.default !== null) out.default = def.default;
  if (def.enumValues.length > 0) out.enum_values = [...def.enumValues];
  if (def.placeholder !== null) out.placeholder = def.placeholder;
  return out;
}

/** Every `[env]` field of a manifest, keyed by name. Pure. */
export function envFieldSchemas(manifest: CapsuleManifest): Record<string, EnvFieldSchema> {
  const out: Record<string, EnvFieldSchema> = {};
  for (const def of manifest.env) out[def.key] = envFieldSchema(def);
  return out;
}
