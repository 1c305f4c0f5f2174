import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AstridError } from '../../../core/errors.js';
import type { GroupConfig } from '../../../core/groups/group-config.js';
import type { PrincipalId } from '../../../core/ids/principal-id.js';
import { type Logger, silentLogger } from '../../../core/logger.js';
import type { BusTransport } from '../../../events/bus-transport.js';
import { IpcRateLimiter } from '../../../events/ipc-rate-limiter.js';
import { StateDatabase } from '../../../storage/db/state-database.js';
import type { AstridHome } from '../../../storage/home/astrid-home.js';
import { KvStore } from '../../../storage/kv/kv-store.js';
import type { LifecycleRunner } from '../../install/install-capsule.js';
import { GuestWorkerHandle } from './executor/guest-worker-handle.js';
import { loadWorkerArtifacts } from './executor/worker-artifacts.js';
import type { CapsuleHost, ProfileSource } from './host/capsule-host.js';
import { CapsuleOutside } from './host/capsule-outside.js';
import { HostDispatcher, type HostTable } from './host/host-dispatcher.js';
import { defaultHostTable, missingHostInterfaces } from './host/host-table.js';
import { InstanceState } from './host/instance-state.js';
import type { KernelServices } from './host/kernel-services.js';
import { UplinkBook } from './host/uplink-host.js';
import { prepareArtifacts } from './pipeline/artifacts/artifact-store.js';
import { UNLIMITED_FUEL } from './wasm-engine.js';

/** A lifecycle hook may run for ten minutes. */
export const LIFECYCLE_DEADLINE_MS = 10 * 60 * 1000;
const LIFECYCLE_MEMORY_PAGES = 1024; // 64 MiB

export interface LifecycleContext {
  readonly home: AstridHome;
  readonly bus: BusTransport;
  readonly owner: PrincipalId;
  readonly profiles: ProfileSource;
  readonly logger?: Logger;
  readonly hostTable?: HostTable;
  readonly deadlineMs?: number;
  /** Kernel services; a hook gets a throwaway KV and the installed directory as its workspace. */
  readonly services: KernelServices;
  readonly groups: () => GroupConfig;
}

/**
 * Runs a capsule's `astrid-install` / `astrid-upgrade` export once, in a
 * short-lived instance: no fuel ceiling, a 64 MiB memory cap and a ten-minute
 * deadline; empty ACLs and no capabilities; the lifecycle phase set (so
 * `elicit` works). A missing or stubbed export succeeds without running.
 */
export function wasmLifecycleRunner(ctx: LifecycleContext): LifecycleRunner {
  return async ({ manifest, phase, wasmPath, wasmHash, targetDir }) => {
    const logger = (ctx.logger ?? silentLogger).child({
      capsule: manifest.package.name,
      lifecycle: phase,
    });
    const bytes = await readFile(wasmPath);
    const prepared = await prepareArtifacts(ctx.home.libDir, wasmHash, bytes, { logger });
    const exportName = phase === 'install' ? 'astrid-install' : 'astrid-upgrade';
    if (!prepared.manifest.guestExports[exportName]) return;
    const missing = missingHostInterfaces(prepared.manifest.interfaces);
    if (missing.length > 0) {
      throw new AstridError(
        'unavailable',
        `lifecycle dispatch failed: host interfaces not provided: ${missing.join(', ')}`,
      );
    }
    const cancel = new AbortController();
    const scratchDb = StateDatabase.open(':memory:');
    const sessionUuid = randomUUID();
    const services = {
      ...ctx.services,
      kv: new KvStore(scratchDb),
      workspace: targetDir,
      overlays: null,
    };
    const outside = await CapsuleOutside.open({
      capsuleId: manifest.package.name,
      sessionUuid,
      manifest,
      home: ctx.home,
      bus: ctx.bus,
      logger,
      services,
      listen: false,
    });
    const host: CapsuleHost = {
      capsuleId: manifest.package.name,
      sessionUuid,
      owner: ctx.owner,
      manifest,
      home: ctx.home,
      bus: ctx.bus,
      logger,
      ipcRateLimiter: new IpcRateLimiter(),
      profiles: ctx.profiles,
      config: new Map(),
      publishAcl: [],
      subscribeAcl: [],
      heldCapabilities: [],
      auditFirehose: false,
      registry: null,
      interceptorBindings: [],
      lifecycle: true,
      cancel: cancel.signal,
      services,
      groups: ctx.groups,
      uplinks: new UplinkBook(),
      httpAgent: () => outside.httpAgent(),
      unixListener: null,
      processes: outside.processes,
      persistent: outside.persistent,
    };
    const state = new InstanceState(host, 0);
    const dispatcher = new HostDispatcher(ctx.hostTable ?? defaultHostTable(), logger);
    let worker: GuestWorkerHandle;
    try {
      worker = await GuestWorkerHandle.start(
        await loadWorkerArtifacts(prepared),
        state,
        dispatcher,
        LIFECYCLE_MEMORY_PAGES,
      );
    } catch (e) {
      await outside.close();
      scratchDb.close();
      throw e;
    }
    try {
      const outcome = await worker.invoke(
        phase === 'install' ? 'astridInstall' : 'astridUpgrade',
        [],
        {
          fuel: UNLIMITED_FUEL,
          memoryCapPages: LIFECYCLE_MEMORY_PAGES,
          timeoutMs: ctx.deadlineMs ?? LIFECYCLE_DEADLINE_MS,
        },
      );
      if (outcome.kind === 'ok') return;
      const why =
        outcome.kind === 'timeout'
          ? `the ${exportName} hook did not finish within ${Math.round((ctx.deadlineMs ?? LIFECYCLE_DEADLINE_MS) / 1000)} s`
          : outcome.message;
      throw new AstridError('invalid-input', `lifecycle dispatch failed: ${why}`);
    } finally {
      cancel.abort();
      state.resetResources();
      await worker.terminate();
      await outside.close();
      scratchDb.close();
    }
  };
}
