import { AstridError } from '../../core/errors.js';

/**
 * Stable codes for every manifest rule. Tests, `--format json` and the
 * gateway rely on them; never rename one, only add.
 */
export const MANIFEST_ERROR_CODES = [
  'manifest-missing',
  'toml-syntax',
  'invalid-type',
  'required-key-missing',
  'package-name-invalid',
  'package-version-invalid',
  'astrid-version-invalid',
  'astrid-version-unsatisfied',
  'component-file-invalid',
  'capability-entry-invalid',
  'interface-key-invalid',
  'interface-name-invalid',
  'import-requirement-invalid',
  'export-version-invalid',
  'uplink-with-imports',
  'topic-pattern-invalid',
  'topic-source-pin-conflict',
  'priority-without-handler',
  'handler-invalid',
  'env-key-invalid',
  'uplink-profile-invalid',
  'duplicate-entry',
] as const;

export const MANIFEST_WARNING_CODES = [
  'legacy-interceptor-table',
  'legacy-topic-table',
  'legacy-ipc-publish',
  'legacy-ipc-subscribe',
  'secret-enum-ignored',
  'env-key-reserved',
  'env-type-unknown',
  'component-extra-ignored',
] as const;

export type ManifestErrorCode = (typeof MANIFEST_ERROR_CODES)[number];
export type ManifestWarningCode = (typeof MANIFEST_WARNING_CODES)[number];

export interface ManifestDiagnostic<C extends string = string> {
  readonly code: C;
  /** The TOML table, e.g. `[package]`, `[subscribe]`, `[[uplink]] #2`; empty for the document root. */
  readonly table: string;
  /** The key within the table, or null for the table itself. */
  readonly key: string | null;
  readonly message: string;
}

export type ManifestError = ManifestDiagnostic<ManifestErrorCode>;
export type ManifestWarning = ManifestDiagnostic<ManifestWarningCode>;

/** One line per diagnostic: `[table] key: message`. */
export function formatDiagnostic(d: ManifestDiagnostic): string {
  const where = [d.table, d.key ?? ''].filter((part) => part.length > 0).join(' ');
  return where.length > 0 ? `${where}: ${d.message}` : d.message;
}

/** The error an install or load raises for a manifest that does not validate. */
export function manifestInvalid(path: string, errors: readonly ManifestError[]): AstridError {
  const lines = errors.map((e) => `  ${formatDiagnostic(e)}`).join('\n');
  return new AstridError('invalid-input', `invalid manifest ${path}:\n${lines}`, {
    details: { path, errors: errors.map((e) => ({ ...e })) },
  });
}
