import { join } from 'node:path';
import type { Agent } from 'undici';
import type { CapsuleId } from '../../../../core/ids/capsule-id.js';
import type { Logger } from '../../../../core/logger.js';
import { ipcEvent } from '../../../../events/astrid-event.js';
import type { BusTransport } from '../../../../events/bus-transport.js';
import { ipcMessage } from '../../../../events/ipc-message.js';
import { rawJson } from '../../../../events/ipc-payload.js';
import type { AstridHome } from '../../../../storage/home/astrid-home.js';
import type { CapsuleManifest } from '../../../manifest/manifest.js';
import { guardedAgent } from './http/guarded-agent.js';
import type { KernelServices } from './kernel-services.js';
import { UnixListenerHub } from './net/unix-listener.js';
import { unixBindAllowed } from './network/allowlists.js';
import { PersistentRegistry } from './process/persistent-registry.js';
import { ProcessIdHasher } from './process/process-ids.js';
import { ProcessTracker } from './process-tracker.js';

/** Where a `net_bind` capsule's Unix listener lives. */
export function capsuleSocketPath(home: AstridHome, capsule: CapsuleId): string {
  return join(home.runDir, 'capsules', `${capsule}.sock`);
}

/**
 * What one capsule holds of the outside world, shared by all of its
 * instances: its HTTP agent (made on first use), its Unix listener
 * (`net_bind` capsules, bound at load), the children of its tool calls, and
 * its persistent processes with their reaper. `close` (unload, shutdown)
 * kills every child and releases the rest.
 */
export class CapsuleOutside {
  readonly processes: ProcessTracker;
  readonly persistent: PersistentRegistry;
  readonly unixListener: UnixListenerHub | null;
  private agent: Agent | null = null;
  private readonly services: KernelServices;
  private readonly logger: Logger;

  private constructor(
    processes: ProcessTracker,
    persistent: PersistentRegistry,
    unixListener: UnixListenerHub | null,
    services: KernelServices,
    logger: Logger,
  ) {
    this.processes = processes;
    this.persistent = persistent;
    this.unixListener = unixListener;
    this.services = services;
    this.logger = logger;
  }

  static async open(options: {
    readonly capsuleId: CapsuleId;
    readonly sessionUuid: string;
    readonly manifest: CapsuleManifest;
    readonly home: AstridHome;
    readonly bus: BusTransport;
    readonly logger: Logger;
    readonly services: KernelServices;
    /** Bind the Unix listener when the manifest asks for one (false for lifecycle hooks). */
    readonly listen: boolean;
    readonly processes?: ProcessTracker;
  }): Promise<CapsuleOutside> {
    const { capsuleId, sessionUuid, bus, logger } = options;
    const persistent = new PersistentRegistry(
      capsuleId,
      await ProcessIdHasher.create(),
      logger,
      (topic, principal, body) =>
        bus.publish(
          ipcEvent(
            ipcMessage({ topic, payload: rawJson(body), sourceId: sessionUuid, principal }),
            'wasm_guest',
            sessionUuid,
          ),
        ),
    );
    let listener: UnixListenerHub | null = null;
    if (options.listen && unixBindAllowed(options.manifest.capabilities.netBind)) {
      listener = new UnixListenerHub(
        capsuleSocketPath(options.home, capsuleId),
        options.services.sessionToken,
        logger,
      );
      await listener.listen();
      logger.info({ socket: listener.path }, 'capsule unix listener bound');
    }
    if (options.manifest.capabilities.hostProcess.length > 0) persistent.start();
    return new CapsuleOutside(
      options.processes ?? new ProcessTracker(),
      persistent,
      listener,
      options.services,
      logger,
    );
  }

  /** The capsule's HTTP agent; every connection it opens passes the airlock. */
  httpAgent(): Agent {
    if (this.agent === null) {
      const { exceptions, resolver } = this.services.network;
      this.agent = guardedAgent(exceptions, resolver, (dial) => {
        if (dial.exception !== null)
          this.logger.debug({ ...dial }, 'http dial through an operator airlock exception');
      });
    }
    return this.agent;
  }

  /** Kills every child (tracked tool-call children and persistent processes); returns how many were running. */
  killChildren(): number {
    return this.processes.killAll() + this.persistent.killAll();
  }

  async close(): Promise<number> {
    const killed = this.killChildren();
    await this.unixListener?.close();
    const agent = this.agent;
    this.agent = null;
    if (agent !== null) await agent.destroy().catch(() => {});
    return killed;
  }
}
