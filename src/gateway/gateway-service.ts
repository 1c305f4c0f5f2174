import type { FastifyInstance } from 'fastify';
import { AstridError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Kernel } from '../kernel/kernel.js';
import { buildGatewayContext } from './build-context.js';
import { formatListenAddress } from './config/listen-address.js';
import { type LoadedGatewayConfig, loadGatewayConfig } from './config/load-gateway-config.js';
import type { GatewayContext } from './gateway-context.js';
import { ConnectionDrain, DRAIN_SWEEP_MS } from './http/connection-drain.js';
import { buildGatewayApp } from './server.js';

/** In-flight requests (and open event streams) get this long to finish on shutdown. */
export const DRAIN_MS = 30_000;

export interface RunningGateway {
  /** `http(s)://host:port` actually bound. */
  readonly url: string;
  readonly app: FastifyInstance;
  readonly ctx: GatewayContext;
  /** Stops accepting, closes idle connections, drains requests for up to 30 s, then cuts what is left. */
  stop(): Promise<void>;
}

/**
 * Starts the HTTP gateway inside the daemon when `etc/gateway-http.toml`
 * enables it; null when the file is missing or disabled. A bad config,
 * signing key or revocation file — or an address it cannot bind — throws an
 * `AstridError`: the daemon then refuses to run rather than run without the
 * gateway its operator configured.
 */
export async function startGateway(
  kernel: Kernel,
  logger: Logger,
  /** The config, if the caller loaded it before booting the kernel (to fail fast). */
  loaded?: LoadedGatewayConfig,
): Promise<RunningGateway | null> {
  const log = logger.child({ component: 'gateway' });
  const { config, warnings } = loaded ?? (await loadGatewayConfig(kernel.options.home));
  if (!config.enabled) {
    log.debug('gateway disabled (etc/gateway-http.toml missing or enabled = false)');
    return null;
  }
  for (const warning of warnings) log.warn({ security_event: true }, warning);
  const ctx = await buildGatewayContext(kernel, config, logger);
  let app: FastifyInstance | null = null;
  let drain: ConnectionDrain | null = null;
  try {
    app = await buildGatewayApp(ctx);
    drain = new ConnectionDrain(app.server);
    await app.listen({ host: config.listen.host, port: config.listen.port });
  } catch (e) {
    await app?.close();
    await ctx.kernel.close();
    if (e instanceof AstridError) throw e;
    throw new AstridError(
      'unavailable',
      `gateway cannot listen on ${formatListenAddress(config.listen)}: ${(e as Error).message}`,
      { cause: e },
    );
  }
  const running = app;
  const connections = drain;
  const address = running.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.listen.port;
  const url = `${config.tls === null ? 'http' : 'https'}://${formatListenAddress({ host: config.listen.host, port })}`;
  log.info({ url, tls: config.tls !== null }, 'gateway listening');
  let stopping: Promise<void> | null = null;
  return {
    url,
    app: running,
    ctx,
    stop() {
      stopping ??= (async () => {
        // Connections with nothing in flight close as soon as they are idle;
        // requests (and the event streams `preClose` ends) finish first.
        const sweep = setInterval(() => connections.closeIdle(), DRAIN_SWEEP_MS);
        const cut = setTimeout(() => {
          log.warn(
            { connections: connections.open },
            'gateway drain timed out; closing remaining connections',
          );
          connections.closeAll();
        }, DRAIN_MS);
        try {
          await running.close();
        } finally {
          clearInterval(sweep);
          clearTimeout(cut);
          await ctx.kernel.close();
        }
        log.info('gateway stopped');
      })();
      return stopping;
    },
  };
}
