/**
 * Typed errors with stable string codes.
 *
 * Every layer throws (or returns) an `AstridError`; the CLI and the gateway map
 * `code` to an exit status / HTTP status in exactly one place each. Codes are
 * part of the public contract: never rename one, only add.
 */

export const ERROR_CODES = [
  /** Input failed validation (bad id, bad topic, bad capability, bad quota...). */
  'invalid-input',
  /** The named resource does not exist. */
  'not-found',
  /** The resource already exists and may not be created again. */
  'already-exists',
  /** The caller lacks a capability (or it is revoked, or the principal is disabled). */
  'capability-denied',
  /** The request was refused by a rate limit; retrying later may succeed. */
  'rate-limited',
  /** A quota (storage, processes, throughput...) would be exceeded. */
  'quota-exceeded',
  /** A value is larger than a hard limit. */
  'too-large',
  /** An operation ran out of time. */
  'timeout',
  /** The operation conflicts with current state (CAS mismatch, busy lock...). */
  'conflict',
  /** The system is in a state where it cannot serve the request (daemon down...). */
  'unavailable',
  /** A stored artifact failed an integrity check (hash mismatch, bad signature). */
  'integrity',
  /** A configuration file or flag is invalid. */
  'config',
  /** An unexpected internal failure; details are logged, never shown to untrusted callers. */
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AstridErrorOptions {
  /** Structured, non-secret detail for logs and JSON output. */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

export class AstridError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: AstridErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AstridError';
    this.code = code;
    this.details = options.details;
  }

  /** A plain JSON form suitable for wire protocols and `--format json`. */
  toJSON(): { code: ErrorCode; message: string; details?: Readonly<Record<string, unknown>> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isAstridError(value: unknown, code?: ErrorCode): value is AstridError {
  return value instanceof AstridError && (code === undefined || value.code === code);
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Shorthand for the most common failure: input that does not pass validation. */
export function invalidInput(message: string, details?: Record<string, unknown>): AstridError {
  return new AstridError('invalid-input', message, details === undefined ? {} : { details });
}

/**
 * A validation outcome for pure parsers that must not throw (e.g. when
 * collecting many errors at once).
 */
export type Result<T, E = AstridError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

export function err<E>(error: E): Result<never, E> {
  return { ok: false, error };
}

/** Unwraps a result, throwing its error. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw result.error;
}
