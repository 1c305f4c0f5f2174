import type { MessagePort } from 'node:worker_threads';
import type { Logger } from '../../../../core/logger.js';
import {
  isResourceMarker,
  RESPONSE_FLAG,
  type ResourceMarker,
  type RpcRequest,
  type RpcResponse,
} from '../executor/rpc-protocol.js';
import { HostError } from './host-error.js';
import type { InstanceState } from './instance-state.js';
import type { HostResource } from './resource-table.js';

/** A host function: gets the instance state, the decoded arguments and, for methods, the resource. */
export type HostFunction = (
  state: InstanceState,
  args: unknown[],
  self: HostResource | undefined,
) => unknown;

export type HostTable = ReadonlyMap<string, HostFunction>;

/** A resource a host function hands to the guest; the dispatcher registers it. */
export class NewResource {
  readonly type: string;
  readonly value: HostResource;

  constructor(type: string, value: HostResource) {
    this.type = type;
    this.value = value;
  }
}

/** A borrowed resource argument whose handle the table does not know. */
export class MissingResource {
  readonly type: string;
  readonly handle: number;

  constructor(type: string, handle: number) {
    this.type = type;
    this.handle = handle;
  }
}

function decode(state: InstanceState, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (isResourceMarker(value)) {
    return state.resources.get(value.$r, value.$h) ?? new MissingResource(value.$r, value.$h);
  }
  if (Array.isArray(value)) return value.map((v) => decode(state, v));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = decode(state, v);
  return out;
}

function encode(state: InstanceState, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (value instanceof NewResource) {
    return {
      $r: value.type,
      $h: state.resources.add(value.type, value.value),
    } satisfies ResourceMarker;
  }
  if (Array.isArray(value)) return value.map((v) => encode(state, v));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = encode(state, v);
  return out;
}

/**
 * Serves one worker's synchronous host calls on the kernel thread: decode,
 * run the host function (which may wait asynchronously), encode, answer, wake
 * the worker. Never blocks the kernel thread.
 */
export class HostDispatcher {
  private readonly table: HostTable;
  private readonly logger: Logger;

  constructor(table: HostTable, logger: Logger) {
    this.table = table;
    this.logger = logger;
  }

  serve(port: MessagePort, flags: Int32Array, state: InstanceState): void {
    port.on('message', (request: RpcRequest) => {
      void this.answer(request, state).then((response) => {
        port.postMessage(response);
        Atomics.store(flags, RESPONSE_FLAG, 1);
        Atomics.notify(flags, RESPONSE_FLAG);
      });
    });
  }

  /** Runs one request to its response (exposed for tests). */
  async answer(request: RpcRequest, state: InstanceState): Promise<RpcResponse> {
    const key = request.k;
    state.hostCallsInFlight++;
    try {
      const dot = key.indexOf('.', key.indexOf('#'));
      if (key.endsWith('.[drop]')) {
        state.resources.drop(key.slice(0, -'.[drop]'.length), request.h);
        return { ok: undefined };
      }
      const fn = this.table.get(key);
      if (fn === undefined) return { trap: `host function ${key} is not provided` };
      const self = dot === -1 ? undefined : state.resources.get(key.slice(0, dot), request.h);
      const args = request.a.map((a) => decode(state, a));
      const value = await fn(state, args, self);
      return { ok: encode(state, value) };
    } catch (e) {
      if (e instanceof HostError)
        return { err: encode(state, e.variant) as HostError['variant'], msg: e.message };
      this.logger.error(
        { err: e instanceof Error ? e.message : String(e), fn: key, capsule: state.host.capsuleId },
        'host function failed',
      );
      return { trap: `host function ${key} failed` };
    } finally {
      state.hostCallsInFlight--;
    }
  }
}
