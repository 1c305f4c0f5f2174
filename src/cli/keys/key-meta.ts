import { parse, stringify } from 'smol-toml';
import { AstridError } from '../../core/errors.js';
import { checkPrincipalId, type PrincipalId } from '../../core/ids/principal-id.js';

export const KEY_META_SCHEMA_VERSION = 1;
export const KEY_BACKEND_FILE = 'file';

/** `<name>.meta.toml`: what the store records beside a key. */
export interface KeyMeta {
  readonly schemaVersion: number;
  /** Hex SHA-256 of `ed25519:<public hex>` (the kernel's key fingerprint). */
  readonly fingerprint: string;
  readonly createdAtEpoch: number;
  readonly backend: typeof KEY_BACKEND_FILE;
  readonly note: string | null;
  /** The principal an invite redeemed with this key created. */
  readonly boundPrincipal: PrincipalId | null;
}

function bad(path: string, message: string): AstridError {
  return new AstridError('integrity', `${path}: ${message}`);
}

/**
 * Parses a key's meta file. A newer `schema_version` is refused rather than
 * half-understood; unknown keys are ignored. Pure (`path` only names the file
 * in errors).
 */
export function parseKeyMeta(text: string, path: string): KeyMeta {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    throw bad(path, `not valid TOML (${(e as Error).message.split('\n')[0]})`);
  }
  const version = doc.schema_version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw bad(path, 'schema_version must be a positive integer');
  if (version > KEY_META_SCHEMA_VERSION) {
    throw new AstridError(
      'config',
      `${path} has schema_version ${version}, written by a newer astrid; this build reads version ${KEY_META_SCHEMA_VERSION} (upgrade astrid to use this key)`,
    );
  }
  const { fingerprint, created_at_epoch: created, backend, note, bound_principal: bound } = doc;
  if (typeof fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(fingerprint))
    throw bad(path, 'fingerprint must be 64 lowercase hex characters');
  if (typeof created !== 'number' || !Number.isInteger(created) || created < 0)
    throw bad(path, 'created_at_epoch must be a non-negative integer');
  if (backend !== KEY_BACKEND_FILE)
    throw bad(path, `backend ${JSON.stringify(backend)} is not supported (only "file")`);
  if (note !== undefined && typeof note !== 'string') throw bad(path, 'note must be a string');
  let boundPrincipal: PrincipalId | null = null;
  if (bound !== undefined) {
    const checked = typeof bound === 'string' ? checkPrincipalId(bound) : null;
    if (checked === null || !checked.ok)
      throw bad(path, 'bound_principal must be a valid principal id');
    boundPrincipal = checked.value;
  }
  return {
    schemaVersion: version,
    fingerprint,
    createdAtEpoch: created,
    backend,
    note: note ?? null,
    boundPrincipal,
  };
}

/** The TOML text of a meta file (optional fields left out when unset). Pure. */
export function renderKeyMeta(meta: KeyMeta): string {
  const doc: Record<string, unknown> = {
    schema_version: meta.schemaVersion,
    fingerprint: meta.fingerprint,
    created_at_epoch: meta.createdAtEpoch,
    backend: meta.backend,
  };
  if (meta.note !== null) doc.note = meta.note;
  if (meta.boundPrincipal !== null) doc.bound_principal = meta.boundPrincipal;
  const text = stringify(doc);
  return text.endsWith('\n') ? text : `${text}\n`;
}
