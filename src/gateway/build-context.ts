import { randomUUID } from 'node:crypto';
import { DEFAULT_PRINCIPAL } from '../core/ids/principal-id.js';
import type { Logger } from '../core/logger.js';
import { BusKernelClient } from '../kernel/clients/bus-kernel-client.js';
import type { Kernel } from '../kernel/kernel.js';
import { BearerTokens } from './auth/bearer-tokens.js';
import { RedeemLimiter } from './auth/redeem-limiter.js';
import { RevocationStore } from './auth/revocation-store.js';
import type { GatewayConfig } from './config/gateway-config.js';
import type { GatewayContext } from './gateway-context.js';
import { GatewayMetrics } from './metrics.js';

export interface ContextOptions {
  /** Wall clock in unix seconds (tests move it). */
  readonly now?: () => number;
}

/**
 * Builds the gateway's context from a running kernel: signing key (created
 * on first boot), revocation store, limiter, metrics on the kernel's
 * registry and an in-process admin client. Key or revocation-file problems
 * throw `config` errors, which refuse the daemon's boot.
 */
export async function buildGatewayContext(
  kernel: Kernel,
  config: GatewayConfig,
  logger: Logger,
  options: ContextOptions = {},
): Promise<GatewayContext> {
  const home = kernel.options.home;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const tokens = await BearerTokens.load(home.keysDir, config.sessionLifetimeSecs, now);
  const revocations = await RevocationStore.load(home.etcDir, logger);
  return {
    config,
    home,
    bus: kernel.bus,
    state: kernel.state,
    kernel: new BusKernelClient(kernel.bus, DEFAULT_PRINCIPAL, randomUUID()),
    tokens,
    revocations,
    redeemLimiter: new RedeemLimiter(config.redeemRateLimitSecs),
    metrics: new GatewayMetrics(kernel.bus.registry),
    logger,
    status: () => kernel.status(),
    now,
  };
}
