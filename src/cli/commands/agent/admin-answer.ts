import { AstridError } from '../../../core/errors.js';
import type { Json } from '../../../events/json.js';
import type { AdminBody, AdminBodyStatus } from '../../../kernel/admin/admin-body.js';

/**
 * The data of an admin answer that must have `status`; anything else means
 * the daemon and this CLI disagree about the protocol.
 */
export function answerData(body: AdminBody, status: AdminBodyStatus): Json {
  if (body.status !== status) {
    throw new AstridError(
      'internal',
      `the daemon answered ${body.status} where ${status} was expected; are the CLI and the daemon the same version?`,
    );
  }
  return body.data;
}

/** An internal error for an answer whose data does not have the documented shape. */
export function malformed(what: string): AstridError {
  return new AstridError(
    'internal',
    `the daemon sent a malformed ${what}; are the CLI and the daemon the same version?`,
  );
}

export function isStringList(value: Json | undefined): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
