import { defineCapsule, ipc, type JsonObject, type JsonValue, kv, verdict } from '@astrid/sdk';

/** Where greetings go (granted by [publish] in Capsule.toml). */
export const GREETING_TOPIC = '{{name}}.v1.greeting';

/** Who to greet: the event's `name`, or the world. */
function nameIn(payload: JsonValue): string {
  if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) {
    const name = payload.name;
    if (typeof name === 'string' && name.length > 0) return name;
  }
  return 'world';
}

/**
 * The capsule. Module top-level code runs at build time, so it must not
 * call the host; handlers run per event, for the principal who sent it.
 */
export default defineCapsule({
  interceptors: {
    // Bound to {{name}}.v1.hello by `handler = "greet"` in Capsule.toml.
    greet: (event) => {
      ipc.publish(GREETING_TOPIC, { greeting: `Hello, ${nameIn(event.payload)}!` });
      return verdict.continue();
    },
  },
  tools: {
    '{{tool}}': {
      description:
        'Store a short note under a key and return how many notes you have. Each user has their own notes.',
      input: {
        type: 'object',
        properties: {
          key: { type: 'string', description: 'What the note is about.' },
          note: { type: 'string', description: 'The note.' },
        },
        required: ['key', 'note'],
        additionalProperties: false,
      },
      run: (args: JsonObject) => {
        const { key, note } = args;
        if (typeof key !== 'string' || key.length === 0)
          throw new Error('"key" must be a non-empty string');
        if (typeof note !== 'string') throw new Error('"note" must be a string');
        // The KV store is scoped to the calling user: notes never mix.
        kv.setText(`note:${key}`, note);
        return { key, notes: kv.keys('note:').length };
      },
    },
  },
});
