import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { AstridError } from '../../core/errors.js';

/** An answer of the kernel's admin API or of a kernel request. */
interface Answer {
  readonly status: string;
  readonly data: unknown;
}

/**
 * Reads a kernel answer (admin or kernel request) as the shape a route
 * promises: the expected body variant, data matching the schema. Anything
 * else is an `internal` error (a logged 500), never a half-formed response.
 * Pure.
 */
export function readAnswer<T extends TSchema, B extends Answer>(
  body: B,
  status: B['status'],
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
