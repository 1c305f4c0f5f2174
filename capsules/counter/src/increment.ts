import type { JsonObject } from '@astrid/sdk';

/** The largest step one call may take (keeps counts exact as JSON numbers). */
export const MAX_STEP = 1_000_000;

/**
 * The step of a `counter_increment` call: `by` when given (a whole number
 * between -1,000,000 and 1,000,000), else 1. Throws a message the agent can
 * act on. Pure.
 */
export function incrementStep(args: JsonObject): number {
  const by = args.by;
  if (by === undefined || by === null) return 1;
  if (typeof by !== 'number' || !Number.isInteger(by) || Math.abs(by) > MAX_STEP)
    throw new Error(
      `"by" must be a whole number between -${MAX_STEP} and ${MAX_STEP}, got ${JSON.stringify(by)}`,
    );
  return by;
}
