import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../storage/files/atomic-write.js';

export const META_FILE = 'meta.json';

/** `meta.json` in an installed capsule directory (wire form, snake_case). */
export interface CapsuleMeta {
  version: string;
  installed_at: string;
  updated_at: string;
  source?: string;
  imports?: Record<string, Record<string, string>>;
  exports?: Record<string, Record<string, string>>;
  wasm_hash?: string;
  wit_files?: Record<string, string>;
}

function isRecordOfRecords(v: unknown): v is Record<string, Record<string, string>> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  return Object.values(v).every(
    (inner) =>
      typeof inner === 'object' &&
      inner !== null &&
      !Array.isArray(inner) &&
      Object.values(inner).every((x) => typeof x === 'string'),
  );
}

/**
 * Reads `<dir>/meta.json`. Unknown fields are ignored; a missing or corrupt
 * file reads as "no meta" (null) and never throws.
 */
export async function readCapsuleMeta(dir: string): Promise<CapsuleMeta | null> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(dir, META_FILE), 'utf8'));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.version !== 'string') return null;
  const meta: CapsuleMeta = {
    version: r.version,
    installed_at: typeof r.installed_at === 'string' ? r.installed_at : '',
    updated_at: typeof r.updated_at === 'string' ? r.updated_at : '',
  };
  if (typeof r.source === 'string') meta.source = r.source;
  if (isRecordOfRecords(r.imports)) meta.imports = r.imports;
  if (isRecordOfRecords(r.exports)) meta.exports = r.exports;
  if (typeof r.wasm_hash === 'string') meta.wasm_hash = r.wasm_hash;
  if (typeof r.wit_files === 'object' && r.wit_files !== null && !Array.isArray(r.wit_files)) {
    const files = Object.entries(r.wit_files).filter(([, v]) => typeof v === 'string');
    if (files.length > 0) meta.wit_files = Object.fromEntries(files) as Record<string, string>;
  }
  return meta;
}

/** Writes `<dir>/meta.json` atomically (temp sibling + rename), pretty-printed, empty maps omitted. */
export async function writeCapsuleMeta(dir: string, meta: CapsuleMeta): Promise<void> {
  const out: CapsuleMeta = {
    version: meta.version,
    installed_at: meta.installed_at,
    updated_at: meta.updated_at,
  };
  if (meta.source !== undefined) out.source = meta.source;
  if (meta.imports !== undefined && Object.keys(meta.imports).length > 0)
    out.imports = meta.imports;
  if (meta.exports !== undefined && Object.keys(meta.exports).length > 0)
    out.exports = meta.exports;
  if (meta.wasm_hash !== undefined) out.wasm_hash = meta.wasm_hash;
  if (meta.wit_files !== undefined && Object.keys(meta.wit_files).length > 0)
    out.wit_files = meta.wit_files;
  await writeFileAtomic(join(dir, META_FILE), `${JSON.stringify(out, null, 2)}\n`, { mode: 0o644 });
}
