import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { AstridError } from '../../core/errors.js';
import type { AdminBody } from '../../kernel/admin/admin-body.js';

/**
 * Reads a kernel admin answer as the shape a route promises: the answer must
 * carry the expected body variant and its data must match the view schema.
 * Anything else is an `internal` error (the route answers 500 and logs it),
 * never a half-formed response. Pure.
 */
export function readAnswer<T extends TSchema>(
  body: AdminBody,
  status: AdminBody['status'],
  schema: T,
): Static<T> {
  if (body.status !== status) {
    throw new AstridError(
      'internal',
      `the kernel answered ${body.status} where ${status} was expected`,
    );
  }
  if (!Value.Check(schema, body.data)) {
    const first = Value.Errors(schema, body.data).First();
    const where = first === undefined ? '' : ` (${first.path || '/'}: ${first.message})`;
    throw new AstridError(
      'internal',
      `the kernel's ${status} answer has an unexpected shape${where}`,
    );
  }
  return body.data as Static<T>;
}
