import { caller, defineCapsule, type JsonObject } from '@astrid/sdk';
import { readCount, updateCount } from './count-store.js';
import { incrementStep, MAX_STEP } from './increment.js';

function who(): string | null {
  return caller().principal ?? null;
}

/**
 * `counter`: three tools over one count per principal. Each principal that
 * calls a tool sees and changes only its own count, because the kernel
 * scopes the capsule's KV store to the invoking principal.
 */
export default defineCapsule({
  tools: {
    counter_increment: {
      description:
        'Add to your counter (by 1 unless "by" says otherwise) and return the new count.',
      input: {
        type: 'object',
        properties: {
          by: {
            type: 'integer',
            minimum: -MAX_STEP,
            maximum: MAX_STEP,
            description: 'How much to add (default 1; negative subtracts).',
          },
        },
        additionalProperties: false,
      },
      run: (args: JsonObject) => {
        const step = incrementStep(args);
        const { count } = updateCount((n) => n + step);
        return { principal: who(), count };
      },
    },
    counter_get: {
      description: 'Return your counter without changing it.',
      input: { type: 'object', properties: {}, additionalProperties: false },
      run: () => ({ principal: who(), count: readCount() }),
    },
    counter_reset: {
      description: 'Set your counter back to 0 and return the count it had.',
      input: { type: 'object', properties: {}, additionalProperties: false },
      run: () => {
        const { previous } = updateCount(() => 0);
        return { principal: who(), count: 0, previous };
      },
    },
  },
});
