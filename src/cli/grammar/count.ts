import { type AstridError, err, invalidInput, ok, type Result } from '../../core/errors.js';

const COUNT = /^\d+(?:_\d+)*$/;

/** Parses a non-negative whole number (`_` may group digits: `2_000_000`). Pure. */
export function parseCount(text: string): Result<number, AstridError> {
  const trimmed = text.trim();
  if (!COUNT.test(trimmed)) {
    return err(
      invalidInput(
        `invalid number ${JSON.stringify(text)}: write a whole number such as 4 or 2_000_000`,
      ),
    );
  }
  const value = Number(trimmed.replaceAll('_', ''));
  if (!Number.isSafeInteger(value)) {
    return err(invalidInput(`invalid number ${JSON.stringify(text)}: too large`));
  }
  return ok(value);
}
