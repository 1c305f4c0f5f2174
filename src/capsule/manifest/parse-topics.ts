import { checkTopicPattern } from '../../core/topics/topic-syntax.js';
import {
  DEFAULT_INTERCEPTOR_PRIORITY,
  type PublishDef,
  SOURCE_PIN_KINDS,
  type SourcePin,
  type SubscribeDef,
} from './manifest.js';
import { isTable, quoteKey, type TableReader } from './toml-reader.js';

const MAX_U32 = 4_294_967_295;
const HANDLER = /^[^\s\p{Cc}]{1,128}$/u;

interface CommonTopic {
  readonly topic: string;
  readonly wit: string;
  readonly pin: SourcePin | null;
  readonly table: Record<string, unknown> | null;
  readonly key: string;
}

function readCommon(
  reader: TableReader,
  topic: string,
  value: unknown,
  kind: 'publish' | 'subscribe',
): CommonTopic | null {
  const key = quoteKey(topic);
  if (typeof value === 'string') return { topic, wit: value, pin: null, table: null, key };
  if (!isTable(value)) {
    reader.error(
      'invalid-type',
      key,
      `must be a WIT reference string or a table, e.g. ${key} = "my-record" or ${key} = { wit = "opaque" }`,
    );
    return null;
  }
  const wit = value.wit;
  if (wit === undefined) {
    reader.error(
      'required-key-missing',
      `${key}.wit`,
      `every [${kind}] entry needs wit; write { wit = "opaque" } for untyped traffic`,
    );
    return null;
  }
  if (typeof wit !== 'string') {
    reader.error(
      'invalid-type',
      `${key}.wit`,
      'must be a string: a local record name, "@scope/repo/iface/record" or "opaque"',
    );
    return null;
  }
  const pins: SourcePin[] = [];
  for (const kindName of SOURCE_PIN_KINDS) {
    const v = value[kindName];
    if (v === undefined) continue;
    if (typeof v !== 'string') {
      reader.error('invalid-type', `${key}.${kindName}`, 'must be a string');
      continue;
    }
    pins.push({ kind: kindName, value: v });
  }
  if (pins.length > 1) {
    reader.error(
      'topic-source-pin-conflict',
      key,
      `at most one of version / tag / rev / branch / path may be set (found ${pins.map((p) => p.kind).join(', ')})`,
    );
  }
  return { topic, wit, pin: pins[0] ?? null, table: value, key };
}

/** `[publish]`: topic → WIT reference, with an optional `fanout` hint. */
export function readPublish(reader: TableReader | null): PublishDef[] {
  if (reader === null) return [];
  const out: PublishDef[] = [];
  for (const [topic, value] of Object.entries(reader.table)) {
    const common = readCommon(reader, topic, value, 'publish');
    if (common === null) continue;
    let fanout = false;
    const raw = common.table?.fanout;
    if (raw !== undefined) {
      if (typeof raw !== 'boolean')
        reader.error('invalid-type', `${common.key}.fanout`, 'must be true or false');
      else fanout = raw;
    }
    out.push({ topic, wit: common.wit, pin: common.pin, fanout });
  }
  return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
}

/** `[subscribe]`: ACL entries, optionally bound to an interceptor `handler` with a `priority`. */
export function readSubscribe(reader: TableReader | null): SubscribeDef[] {
  if (reader === null) return [];
  const out: SubscribeDef[] = [];
  for (const [topic, value] of Object.entries(reader.table)) {
    const common = readCommon(reader, topic, value, 'subscribe');
    if (common === null) continue;
    let handler: string | null = null;
    let priority: number | null = null;
    const rawHandler = common.table?.handler;
    if (rawHandler !== undefined) {
      if (typeof rawHandler !== 'string' || !HANDLER.test(rawHandler)) {
        reader.error(
          'handler-invalid',
          `${common.key}.handler`,
          `${typeof rawHandler === 'string' ? JSON.stringify(rawHandler) : String(rawHandler)} is not an interceptor action name: use 1–128 characters, no spaces, e.g. handler = "screen_prompt"`,
        );
      } else handler = rawHandler;
    }
    const rawPriority = common.table?.priority;
    if (rawPriority !== undefined) {
      if (rawHandler === undefined) {
        reader.error(
          'priority-without-handler',
          `${common.key}.priority`,
          '`priority` requires a `handler`; add handler = "<action>" or remove priority',
        );
      } else if (
        typeof rawPriority !== 'bigint' ||
        rawPriority < 0n ||
        rawPriority > BigInt(MAX_U32)
      ) {
        reader.error(
          'invalid-type',
          `${common.key}.priority`,
          `must be a whole number from 0 to ${MAX_U32} (lower fires first)`,
        );
      } else priority = Number(rawPriority);
    }
    out.push({ topic, wit: common.wit, pin: common.pin, handler, priority });
  }
  return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
}

/** Load step 5: every key of `[publish]` and `[subscribe]` must be a valid topic pattern. */
export function checkTopicKeys(
  reader: TableReader,
  kind: 'publish' | 'subscribe',
  topics: readonly string[],
): void {
  for (const topic of topics) {
    const checked = checkTopicPattern(topic);
    if (!checked.ok) {
      reader.error(
        'topic-pattern-invalid',
        quoteKey(topic),
        `${kind} pattern ${JSON.stringify(topic)} is invalid: ${checked.error.message}; write dot-separated segments of [a-z0-9_-] or '*', e.g. "user.v1.prompt"`,
      );
    }
  }
}

export { DEFAULT_INTERCEPTOR_PRIORITY };
