import type { MessagePort } from 'node:worker_threads';
import type { HostFunctionKey } from '../host/host-interfaces.js';

/**
 * The wire between a guest worker and the kernel thread.
 *
 * Guest → host calls are synchronous for the guest: the worker posts an
 * `RpcRequest` on its RPC port and blocks in `Atomics.wait` on the shared
 * `RESPONSE_FLAG`; the kernel answers with an `RpcResponse` on the port, then
 * sets the flag and notifies. The worker reads the answer with
 * `receiveMessageOnPort`. The kernel never blocks on a worker.
 */

/** Int32 slots of the shared control buffer. */
export const RESPONSE_FLAG = 0;
/** Set by the kernel when the capsule unloads: wakes sleeps and fails blocking calls with `cancelled`. */
export const CANCEL_FLAG = 1;
export const CONTROL_SLOTS = 2;

export interface RpcRequest {
  /** Host function or resource method. */
  readonly k: HostFunctionKey;
  /** Resource handle for methods and drops, else -1. */
  readonly h: number;
  readonly a: readonly unknown[];
}

export type RpcResponse =
  /** The call returned. */
  | { readonly ok: unknown }
  /** A `result` error: `err` is the error-code variant (`{tag, val?}`). */
  | { readonly err: { readonly tag: string; readonly val?: unknown }; readonly msg?: string }
  /** The host refuses to continue the guest (protocol violation, internal failure). */
  | { readonly trap: string };

/** How a resource crosses the wire: its interface-qualified class and handle. */
export interface ResourceMarker {
  readonly $r: string;
  readonly $h: number;
}

export function isResourceMarker(value: unknown): value is ResourceMarker {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { $r?: unknown }).$r === 'string' &&
    typeof (value as { $h?: unknown }).$h === 'number'
  );
}

/** `astrid:ipc/host@1.0.0#Subscription`. */
export function resourceType(iface: string, resource: string): string {
  return `${iface}#${resource}`;
}

/** The guest exports a worker can call. */
export type GuestEntry = 'astridHookTrigger' | 'run' | 'astridInstall' | 'astridUpgrade';

/** Kernel → worker control messages. */
export type WorkerCommand =
  | {
      readonly type: 'init';
      readonly gluePath: string;
      readonly modules: ReadonlyArray<readonly [string, WebAssembly.Module]>;
      readonly initialPages: ReadonlyArray<readonly [string, number]>;
      readonly interfaces: readonly string[];
      readonly control: SharedArrayBuffer;
      readonly rpc: MessagePort;
      readonly memoryCapPages: number;
      /** `process.hrtime.bigint()` at engine creation: the monotonic clock's anchor. */
      readonly monotonicAnchor: bigint;
    }
  | {
      readonly type: 'invoke';
      readonly id: number;
      readonly entry: GuestEntry;
      readonly args: readonly unknown[];
      readonly fuel: bigint;
      readonly memoryCapPages: number;
      /** Wall-clock ms the worker waits for one host answer before giving up (a dead kernel). */
      readonly rpcPatienceMs: number;
    };

/** Worker → kernel control messages. */
export type WorkerEvent =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly message: string }
  | {
      readonly type: 'result';
      readonly id: number;
      readonly value: unknown;
      readonly fuelUsed: bigint;
      readonly peakPages: number;
    }
  | {
      readonly type: 'failed';
      readonly id: number;
      readonly message: string;
      readonly fuelUsed: bigint;
      readonly peakPages: number;
      readonly fuelExhausted: boolean;
    };
