import type { ErrorCode } from '../core/errors.js';

/** Process exit statuses of the `astrid` CLI. */
export const EXIT = {
  ok: 0,
  /** Any error, including "not found" and declined prompts. */
  failure: 1,
  /** Usage errors and refused unsafe input. */
  usage: 2,
} as const;

/** The one place error codes become exit statuses. */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'invalid-input':
    case 'not-found':
    case 'already-exists':
    case 'capability-denied':
    case 'rate-limited':
    case 'quota-exceeded':
    case 'too-large':
    case 'timeout':
    case 'conflict':
    case 'unavailable':
    case 'integrity':
    case 'config':
    case 'internal':
      return EXIT.failure;
  }
}
