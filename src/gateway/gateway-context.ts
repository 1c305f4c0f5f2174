import type { Logger } from '../core/logger.js';
import type { EventBus } from '../events/event-bus.js';
import type { KernelClient } from '../kernel/clients/kernel-client.js';
import type { DaemonStatus } from '../kernel/requests/core-methods.js';
import type { KernelState } from '../kernel/state/kernel-state.js';
import type { AstridHome } from '../storage/home/astrid-home.js';
import type { BearerTokens } from './auth/bearer-tokens.js';
import type { RedeemLimiter } from './auth/redeem-limiter.js';
import type { RevocationStore } from './auth/revocation-store.js';
import type { GatewayConfig } from './config/gateway-config.js';
import type { GatewayMetrics } from './metrics.js';

/**
 * Everything a route module may use. Admin and kernel actions go through
 * `kernel` acting for the caller (`{ principal: request.principal }`) so the
 * kernel authorizes, audits and answers; routes never call stores directly
 * for admin actions.
 */
export interface GatewayContext {
  readonly config: GatewayConfig;
  readonly home: AstridHome;
  readonly bus: EventBus;
  readonly state: KernelState;
  /** In-process bus client; pass `{ principal }` to act for the caller. */
  readonly kernel: KernelClient;
  readonly tokens: BearerTokens;
  readonly revocations: RevocationStore;
  /** Shared by both redeem routes; key it with `clientIp(request, ctx)`. */
  readonly redeemLimiter: RedeemLimiter;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly status: () => DaemonStatus;
  /** Wall clock, unix seconds. */
  readonly now: () => number;
}
