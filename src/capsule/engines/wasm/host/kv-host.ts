import { isAstridError } from '../../../../core/errors.js';
import { hasControlChars } from './control-chars.js';
import type { HostFunction } from './host-dispatcher.js';
import { HostError, unknownError } from './host-error.js';
import type { InstanceState } from './instance-state.js';

const KV = 'astrid:kv/host@1.0.0';
export const MAX_KV_KEY_BYTES = 256;
export const MAX_KV_VALUE_BYTES = 1024 * 1024;
export const MAX_KV_LIST = 1024;

function checkKey(key: string, what: 'key' | 'prefix'): void {
  if (what === 'key' && key.length === 0)
    throw new HostError('invalid-key', 'a key must not be empty');
  if (Buffer.byteLength(key, 'utf8') > MAX_KV_KEY_BYTES) {
    throw new HostError('invalid-key', `a ${what} is at most ${MAX_KV_KEY_BYTES} bytes`);
  }
  if (hasControlChars(key))
    throw new HostError('invalid-key', `a ${what} must not contain NUL or control characters`);
}

function checkValue(value: Uint8Array): void {
  if (value.length > MAX_KV_VALUE_BYTES)
    throw new HostError('too-large', `a value is at most ${MAX_KV_VALUE_BYTES} bytes`);
}

function audit(state: InstanceState, fn: string, fields: Record<string, unknown>): void {
  state.host.logger.debug(
    {
      audit: 'astrid.audit.kv',
      capsule_id: state.host.capsuleId,
      principal: state.effectivePrincipal,
      fn: `${KV}.${fn}`,
      ...fields,
    },
    'host call',
  );
}

/** Runs a KV operation on the blocking semaphore, auditing it and mapping store failures to `unknown`. */
async function op<T>(
  state: InstanceState,
  fn: string,
  fields: Record<string, unknown>,
  body: (ns: string) => T,
): Promise<T> {
  const services = state.host.services;
  try {
    const out = await services.blocking.run(() => body(state.scope().kvNamespace));
    audit(state, fn, fields);
    return out;
  } catch (e) {
    const error =
      e instanceof HostError
        ? e
        : isAstridError(e, 'invalid-input')
          ? new HostError('invalid-key', e.message)
          : unknownError(`${fn}: ${(e as Error).message}`);
    audit(state, fn, { ...fields, error: error.tag });
    throw error;
  }
}

/**
 * Refuses a write that would take the invoking principal's KV bytes (keys +
 * values across all its capsule namespaces) past its `max_storage_bytes`.
 */
async function checkQuota(
  state: InstanceState,
  ns: string,
  key: string,
  value: Uint8Array,
): Promise<void> {
  const profile = await state.host.profiles.resolve(state.effectivePrincipal).catch(() => null);
  if (profile === null)
    throw new HostError('quota', `principal '${state.effectivePrincipal}' has no usable profile`);
  const kv = state.host.services.kv;
  const old = kv.get(ns, key);
  const delta =
    value.length +
    Buffer.byteLength(key) -
    (old === null ? 0 : old.length + Buffer.byteLength(key));
  const used = kv.bytesWithNamespacePrefix(`${state.effectivePrincipal}:capsule:`);
  if (delta > 0 && used + delta > profile.quotas.maxStorageBytes) {
    throw new HostError(
      'quota',
      `storage quota of ${profile.quotas.maxStorageBytes} bytes would be exceeded (${used} used)`,
    );
  }
}

/** `astrid:kv/host`: one namespace per (invoking principal, capsule). */
export const KV_HOST: ReadonlyArray<readonly [string, HostFunction]> = [
  [
    `${KV}#kvGet`,
    (state, args) => {
      const key = String(args[0]);
      checkKey(key, 'key');
      return op(state, 'kv-get', { key }, (ns) => state.host.services.kv.get(ns, key) ?? undefined);
    },
  ],
  [
    `${KV}#kvSet`,
    async (state, args) => {
      const key = String(args[0]);
      const value = args[1] as Uint8Array;
      checkKey(key, 'key');
      checkValue(value);
      const ns = state.scope().kvNamespace;
      await checkQuota(state, ns, key, value);
      return op(state, 'kv-set', { key, bytes: value.length }, (n) => {
        state.host.services.kv.set(n, key, value);
        return undefined;
      });
    },
  ],
  [
    `${KV}#kvDelete`,
    (state, args) => {
      const key = String(args[0]);
      checkKey(key, 'key');
      return op(state, 'kv-delete', { key }, (ns) => {
        state.host.services.kv.delete(ns, key);
        return undefined;
      });
    },
  ],
  [
    `${KV}#kvListKeys`,
    (state, args) => {
      const prefix = String(args[0]);
      checkKey(prefix, 'prefix');
      return op(state, 'kv-list-keys', { prefix }, (ns) => {
        const page = state.host.services.kv.page(ns, prefix, null, MAX_KV_LIST);
        if (page.more)
          throw new HostError(
            'too-large',
            `more than ${MAX_KV_LIST} keys match; use kv-list-keys-page`,
          );
        return page.keys;
      });
    },
  ],
  [
    `${KV}#kvListKeysPage`,
    (state, args) => {
      const prefix = String(args[0]);
      const cursor = args[1] === undefined || args[1] === null ? null : String(args[1]);
      const requested = Number(args[2] ?? 0);
      checkKey(prefix, 'prefix');
      const limit = requested === 0 ? MAX_KV_LIST : Math.min(requested, MAX_KV_LIST);
      return op(state, 'kv-list-keys-page', { prefix, limit }, (ns) => {
        const page = state.host.services.kv.page(ns, prefix, cursor, limit);
        const last = page.keys.at(-1);
        return { keys: page.keys, nextCursor: page.more && last !== undefined ? last : undefined };
      });
    },
  ],
  [
    `${KV}#kvClearPrefix`,
    (state, args) => {
      const prefix = String(args[0]);
      checkKey(prefix, 'prefix');
      return op(state, 'kv-clear-prefix', { prefix }, (ns) =>
        BigInt(state.host.services.kv.clearPrefix(ns, prefix)),
      );
    },
  ],
  [
    `${KV}#kvCas`,
    async (state, args) => {
      const key = String(args[0]);
      const expected = args[1] === undefined || args[1] === null ? null : (args[1] as Uint8Array);
      const next = args[2] as Uint8Array;
      checkKey(key, 'key');
      checkValue(next);
      const ns = state.scope().kvNamespace;
      await checkQuota(state, ns, key, next);
      return op(state, 'kv-cas', { key }, (n) => {
        if (!state.host.services.kv.compareAndSwap(n, key, expected, next)) {
          throw new HostError('cas-mismatch', 'the current value is not the expected one');
        }
        return undefined;
      });
    },
  ],
];
