import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { PrincipalId } from '../../src/core/ids/principal-id.js';
import { type Logger, recordingLogger } from '../../src/core/logger.js';
import { BusKernelClient } from '../../src/kernel/clients/bus-kernel-client.js';
import { DEFAULT_CONFIG } from '../../src/kernel/config/daemon-config.js';
import { resolveRuntimeLimits } from '../../src/kernel/config/runtime-limits.js';
import { Kernel, type KernelOptions } from '../../src/kernel/kernel.js';
import { NIL_SESSION } from '../../src/storage/audit/audit-entry.js';
import { AstridHome } from '../../src/storage/home/astrid-home.js';
import { fileTempDir } from './temp-dir.js';

export interface KernelHarness {
  readonly kernel: Kernel;
  readonly home: AstridHome;
  readonly logs: ReturnType<typeof recordingLogger>;
  /** An in-process client acting as `principal` (default `default`). */
  client(principal?: string): BusKernelClient;
  close(): Promise<void>;
}

/** Boots a real kernel (SQLite, socket, routers) in this process on a fresh temporary home. */
export async function bootKernel(
  options: { home?: AstridHome; ephemeral?: boolean; logger?: Logger; workspace?: string } & Pick<
    KernelOptions,
    'watch' | 'capsules'
  > = {},
): Promise<KernelHarness> {
  const home = options.home ?? new AstridHome(join(await fileTempDir('astrid-k-'), 'h'));
  const logs = recordingLogger();
  const kernel = await Kernel.boot({
    home,
    sessionId: NIL_SESSION,
    ephemeral: options.ephemeral ?? false,
    config: DEFAULT_CONFIG,
    limits: resolveRuntimeLimits(DEFAULT_CONFIG, 2, 1024),
    workspace: options.workspace ?? home.root,
    logger: options.logger ?? logs,
    ...(options.watch === undefined ? {} : { watch: options.watch }),
    ...(options.capsules === undefined ? {} : { capsules: options.capsules }),
  });
  const clients: BusKernelClient[] = [];
  return {
    kernel,
    home,
    logs,
    client(principal = 'default') {
      const c = new BusKernelClient(kernel.bus, principal as PrincipalId, randomUUID());
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) await c.close();
      await kernel.shutdown('test');
    },
  };
}
