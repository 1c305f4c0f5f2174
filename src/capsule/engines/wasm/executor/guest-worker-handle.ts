import { MessageChannel, Worker } from 'node:worker_threads';
import { AstridError } from '../../../../core/errors.js';
import type { HostDispatcher } from '../host/host-dispatcher.js';
import type { InstanceState } from '../host/instance-state.js';
import {
  CANCEL_FLAG,
  CONTROL_SLOTS,
  type GuestEntry,
  type WorkerCommand,
  type WorkerEvent,
} from './rpc-protocol.js';
import { guestWorkerScript } from './worker-script.js';

export interface WorkerArtifacts {
  readonly gluePath: string;
  readonly modules: ReadonlyMap<string, WebAssembly.Module>;
  readonly initialPages: ReadonlyMap<string, number>;
  readonly interfaces: readonly string[];
}

export type InvokeOutcome =
  | {
      readonly kind: 'ok';
      readonly value: unknown;
      readonly fuelUsed: bigint;
      readonly peakPages: number;
    }
  | {
      readonly kind: 'trap';
      readonly message: string;
      readonly fuelExhausted: boolean;
      readonly fuelUsed: bigint;
      readonly peakPages: number;
    }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'crashed'; readonly message: string };

export interface InvokeOptions {
  readonly fuel: bigint;
  readonly memoryCapPages: number;
  /** Wall-clock limit; null = none (daemon capsules, run loops). */
  readonly timeoutMs: number | null;
}

const monotonicAnchor = process.hrtime.bigint();
/** A worker gives up on a host answer after this long (the kernel terminates slow calls well before). */
const RPC_PATIENCE_MS = 24 * 60 * 60 * 1000;

/**
 * The kernel's handle on one guest worker thread (one component instance).
 * Invocations are posted; the answer, a crash or the timeout settles them.
 * On timeout the worker is terminated — `terminate()` interrupts running
 * wasm — so a runaway guest never wedges the kernel thread.
 */
export class GuestWorkerHandle {
  readonly state: InstanceState;
  private readonly worker: Worker;
  private readonly control: SharedArrayBuffer;
  private nextId = 1;
  private pending: { id: number; settle: (o: InvokeOutcome) => void } | null = null;
  private exited = false;
  private exitReason = 'the worker exited';
  private readonly exitListeners: ((reason: string) => void)[] = [];

  private constructor(worker: Worker, control: SharedArrayBuffer, state: InstanceState) {
    this.worker = worker;
    this.control = control;
    this.state = state;
    worker.on('error', (e) => {
      this.exitReason = `the worker crashed: ${e.message}`;
    });
    worker.on('exit', (code) => {
      this.exited = true;
      if (code !== 0 && this.exitReason === 'the worker exited')
        this.exitReason = `the worker exited with code ${code}`;
      const p = this.pending;
      this.pending = null;
      p?.settle({ kind: 'crashed', message: this.exitReason });
      for (const l of this.exitListeners) l(this.exitReason);
    });
    worker.on('message', (event: WorkerEvent) => {
      const p = this.pending;
      if (p === null) return;
      if (event.type === 'result' && event.id === p.id) {
        this.pending = null;
        p.settle({
          kind: 'ok',
          value: event.value,
          fuelUsed: event.fuelUsed,
          peakPages: event.peakPages,
        });
      } else if (event.type === 'failed' && event.id === p.id) {
        this.pending = null;
        p.settle({
          kind: 'trap',
          message: event.message,
          fuelExhausted: event.fuelExhausted,
          fuelUsed: event.fuelUsed,
          peakPages: event.peakPages,
        });
      }
    });
  }

  /** Starts a worker, instantiates the component in it and waits until it is ready. */
  static async start(
    artifacts: WorkerArtifacts,
    state: InstanceState,
    dispatcher: HostDispatcher,
    memoryCapPages: number,
    startTimeoutMs = 60_000,
  ): Promise<GuestWorkerHandle> {
    const script = guestWorkerScript();
    const worker = new Worker(script.url, {
      workerData: script.workerData,
      stdout: false,
      stderr: false,
    });
    const control = new SharedArrayBuffer(CONTROL_SLOTS * 4);
    const channel = new MessageChannel();
    dispatcher.serve(channel.port1, new Int32Array(control), state);
    const handle = new GuestWorkerHandle(worker, control, state);
    const init: WorkerCommand = {
      type: 'init',
      gluePath: artifacts.gluePath,
      modules: [...artifacts.modules],
      initialPages: [...artifacts.initialPages],
      interfaces: artifacts.interfaces,
      control,
      rpc: channel.port2,
      memoryCapPages,
      monotonicAnchor,
    };
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new AstridError('timeout', 'the guest worker did not start in time')),
        startTimeoutMs,
      );
      const onMessage = (event: WorkerEvent) => {
        if (event.type === 'ready') {
          clearTimeout(timer);
          worker.off('message', onMessage);
          resolve();
        } else if (event.type === 'init-error') {
          clearTimeout(timer);
          worker.off('message', onMessage);
          reject(
            new AstridError(
              'invalid-input',
              `the component could not be instantiated: ${event.message}`,
            ),
          );
        }
      };
      worker.on('message', onMessage);
      handle.onExit((reason) => {
        clearTimeout(timer);
        reject(new AstridError('internal', `the guest worker died while starting: ${reason}`));
      });
    });
    worker.postMessage(init, [channel.port2]);
    try {
      await ready;
    } catch (e) {
      channel.port1.close();
      await worker.terminate();
      throw e;
    }
    worker.once('exit', () => channel.port1.close());
    return handle;
  }

  get alive(): boolean {
    return !this.exited;
  }

  get busy(): boolean {
    return this.pending !== null;
  }

  onExit(listener: (reason: string) => void): void {
    this.exitListeners.push(listener);
  }

  /** Calls a guest export. One call at a time per worker. */
  invoke(
    entry: GuestEntry,
    args: readonly unknown[],
    options: InvokeOptions,
  ): Promise<InvokeOutcome> {
    if (this.exited) return Promise.resolve({ kind: 'crashed', message: this.exitReason });
    if (this.pending !== null)
      throw new AstridError('internal', 'a guest worker runs one call at a time');
    const id = this.nextId++;
    return new Promise<InvokeOutcome>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      this.pending = {
        id,
        settle: (o) => {
          if (timer !== undefined) clearTimeout(timer);
          resolve(o);
        },
      };
      if (options.timeoutMs !== null) {
        timer = setTimeout(() => {
          if (this.pending?.id !== id) return;
          this.pending = null;
          resolve({ kind: 'timeout' });
          void this.terminate();
        }, options.timeoutMs);
      }
      const command: WorkerCommand = {
        type: 'invoke',
        id,
        entry,
        args,
        fuel: options.fuel,
        memoryCapPages: options.memoryCapPages,
        rpcPatienceMs: RPC_PATIENCE_MS,
      };
      this.worker.postMessage(command);
    });
  }

  /** Wakes sleeps and fails blocking calls inside the worker (capsule unloading). */
  cancel(): void {
    const flags = new Int32Array(this.control);
    Atomics.store(flags, CANCEL_FLAG, 1);
    Atomics.notify(flags, CANCEL_FLAG);
  }

  async terminate(): Promise<void> {
    if (this.exited) return;
    this.exitReason = 'the worker was terminated';
    await this.worker.terminate();
  }
}
