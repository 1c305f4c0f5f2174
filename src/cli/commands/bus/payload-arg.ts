import { AstridError } from '../../../core/errors.js';
import type { Json } from '../../../events/json.js';

/** Parses the JSON payload argument of `bus publish`; the error carries the parser's reason. Pure. */
export function parsePayloadArg(text: string, source: string): Json {
  if (text.trim().length === 0)
    throw new AstridError('invalid-input', `the payload (${source}) is empty; pass a JSON value`);
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw new AstridError(
      'invalid-input',
      `the payload (${source}) is not valid JSON: ${(e as Error).message}`,
    );
  }
}
