import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { AstridError } from '../../core/errors.js';
import type { KernelBody } from '../../kernel/requests/kernel-method.js';

/**
 * Reads a kernel request's answer as the shape a route promises: the
 * expected body variant, data matching the schema. Anything else is an
 * `internal` error (a logged 500), never a half-formed response. Pure.
 */
export function readKernelAnswer<T extends TSchema>(
  body: KernelBody,
  status: KernelBody['status'],
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
