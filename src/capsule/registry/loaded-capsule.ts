import { AstridError } from '../../core/errors.js';
import type { CapsuleId } from '../../core/ids/capsule-id.js';
import type { Logger } from '../../core/logger.js';
import type { IpcMessage } from '../../events/ipc-message.js';
import type {
  CapsuleEngine,
  HealthStatus,
  InterceptorOutcome,
  ReadyStatus,
} from '../engines/engine.js';
import type { StaticEngine } from '../engines/static/static-engine.js';
import type { WasmEngine } from '../engines/wasm/wasm-engine.js';
import type { CapsuleManifest } from '../manifest/manifest.js';
import { effectiveInterceptors, type InterceptorDef } from '../manifest/manifest-views.js';
import type { CapsuleState } from './capsule-state.js';

/**
 * One capsule as the kernel runs it: its engines in order (WASM when it has
 * a component, then the static engine), its state, and the composite
 * behaviour of the engine contract.
 */
export class LoadedCapsule {
  readonly id: CapsuleId;
  readonly dir: string;
  readonly manifest: CapsuleManifest;
  readonly wasm: WasmEngine | null;
  readonly statics: StaticEngine;
  readonly interceptors: readonly InterceptorDef[];
  /** Position in the boot order (ties between equal interceptor priorities follow it). */
  bootIndex: number;
  private readonly engines: CapsuleEngine[];
  private readonly logger: Logger;
  private current: CapsuleState = { kind: 'unloaded' };

  constructor(init: {
    dir: string;
    manifest: CapsuleManifest;
    wasm: WasmEngine | null;
    statics: StaticEngine;
    bootIndex: number;
    logger: Logger;
  }) {
    this.id = init.manifest.package.name;
    this.dir = init.dir;
    this.manifest = init.manifest;
    this.wasm = init.wasm;
    this.statics = init.statics;
    this.bootIndex = init.bootIndex;
    this.engines = init.wasm === null ? [init.statics] : [init.wasm, init.statics];
    this.interceptors = effectiveInterceptors(init.manifest);
    this.logger = init.logger;
  }

  /**
   * The state to report: a loaded capsule whose engine has since failed (a
   * run loop that crashed or returned) reads `failed` with the reason until
   * the health monitor replaces it — never `ready`.
   */
  get state(): CapsuleState {
    if (this.current.kind === 'ready') {
      const health = this.checkHealth();
      if (!health.ok) return { kind: 'failed', reason: health.reason };
    }
    return this.current;
  }

  get isReady(): boolean {
    return this.current.kind === 'ready';
  }

  get isUplink(): boolean {
    return this.manifest.uplinks.length > 0 || this.manifest.capabilities.uplink;
  }

  /** Run-loop capsules take their events through their own subscriptions, never the dispatcher. */
  get isRunLoop(): boolean {
    return this.wasm?.isRunLoop ?? false;
  }

  get sessionUuid(): string | null {
    return this.wasm?.sessionUuid ?? null;
  }

  /** Loads every engine in order; the first failure unloads the rest and is rethrown. */
  async load(): Promise<void> {
    this.current = { kind: 'loading' };
    const done: CapsuleEngine[] = [];
    try {
      for (const engine of this.engines) {
        await engine.load();
        done.push(engine);
      }
    } catch (e) {
      for (const engine of done.reverse()) await engine.unload().catch(() => {});
      const reason = e instanceof Error ? e.message : String(e);
      this.current = { kind: 'failed', reason };
      throw e;
    }
    this.current = { kind: 'ready' };
  }

  /** Fills the instance pools (after boot, so warming never competes with loading). */
  async warmUp(): Promise<void> {
    if (this.current.kind === 'ready') await this.wasm?.warmUp();
  }

  async unload(): Promise<void> {
    if (this.current.kind === 'unloaded') return;
    this.current = { kind: 'unloading' };
    for (const engine of this.engines) {
      try {
        await engine.unload();
      } catch (e) {
        this.logger.warn({ capsule: this.id, err: (e as Error).message }, 'engine unload failed');
      }
    }
    this.current = { kind: 'unloaded' };
  }

  /** Waits on each engine against one shared deadline; the first non-ready status wins. */
  async waitReady(timeoutMs: number): Promise<ReadyStatus> {
    const deadline = Date.now() + timeoutMs;
    for (const engine of this.engines) {
      const left = deadline - Date.now();
      if (left <= 0) return 'timeout';
      const status = await engine.waitReady(left);
      if (status !== 'ready') return status;
    }
    return 'ready';
  }

  /** The first engine that serves interceptors answers. */
  async invokeInterceptor(
    action: string,
    payload: Uint8Array,
    caller?: IpcMessage | null,
  ): Promise<InterceptorOutcome> {
    if (this.current.kind !== 'ready') {
      return { kind: 'not-supported', reason: `capsule '${this.id}' is ${this.current.kind}` };
    }
    for (const engine of this.engines) {
      const out = await engine.invokeInterceptor(action, payload, caller);
      if (out.kind !== 'not-supported') return out;
    }
    return { kind: 'not-supported', reason: 'no engine supports interceptors' };
  }

  checkHealth(): HealthStatus {
    for (const engine of this.engines) {
      const h = engine.checkHealth();
      if (!h.ok) return h;
    }
    return { ok: true };
  }
}

/** Thrown when a capsule id is registered twice. */
export function alreadyRegistered(id: CapsuleId): AstridError {
  return new AstridError('already-exists', `capsule ${id} is already registered`);
}
