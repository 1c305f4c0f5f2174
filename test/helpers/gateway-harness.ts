import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Agent, fetch as undiciFetch } from 'undici';
import type { PrincipalId } from '../../src/core/ids/principal-id.js';
import type { Logger } from '../../src/core/logger.js';
import { buildGatewayContext } from '../../src/gateway/build-context.js';
import {
  DEFAULT_GATEWAY_CONFIG,
  type GatewayConfig,
} from '../../src/gateway/config/gateway-config.js';
import type { GatewayContext } from '../../src/gateway/gateway-context.js';
import type { GatewayRouteModule } from '../../src/gateway/routes/index.js';
import { buildGatewayApp } from '../../src/gateway/server.js';
import type { BusKernelClient } from '../../src/kernel/clients/bus-kernel-client.js';
import type { KernelClient } from '../../src/kernel/clients/kernel-client.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import type { AstridHome } from '../../src/storage/home/astrid-home.js';
import { bootKernel, type KernelHarness } from './kernel-harness.js';
import { mintTestCertificate } from './tls-cert.js';

export interface GatewayHarnessOptions {
  /** Serve HTTPS with a certificate minted now (self-signed). */
  readonly tls?: boolean;
  /** Overrides of the default (enabled) gateway config. */
  readonly config?: Partial<GatewayConfig>;
  /** Wall clock in unix seconds for tokens and revocations. */
  readonly now?: () => number;
  /** Reuse a home (e.g. to test a restart). */
  readonly home?: AstridHome;
  readonly logger?: Logger;
  /** Route modules served in addition to the real ones (test probes). */
  readonly extraModules?: readonly GatewayRouteModule[];
}

export interface FetchOptions {
  readonly method?: string;
  /** An object or array is sent as JSON; a string is sent as is. */
  readonly body?: unknown;
  readonly bearer?: string;
  readonly headers?: Record<string, string>;
}

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  /** The body parsed as JSON, or undefined if it is not JSON. */
  readonly json: unknown;
  readonly text: string;
}

export interface GatewayHarness {
  readonly url: string;
  readonly kernel: Kernel;
  readonly kernelHarness: KernelHarness;
  readonly ctx: GatewayContext;
  readonly app: FastifyInstance;
  /** One HTTP request to the gateway. */
  fetch(path: string, options?: FetchOptions): Promise<HttpResult>;
  /** A real bearer for `principal`, minted with the gateway's key. */
  bearerFor(principal: string, lifetimeSecs?: number): string;
  /** The kernel client acting as `default` (administrator). */
  readonly adminClient: KernelClient;
  /** An in-process kernel client acting as `principal`. */
  client(principal: string): BusKernelClient;
  close(): Promise<void>;
}

/** Boots a real kernel on a temporary home and the gateway on 127.0.0.1:0 (plain or TLS). */
export async function startGateway(options: GatewayHarnessOptions = {}): Promise<GatewayHarness> {
  const kernelHarness = await bootKernel({
    ...(options.home === undefined ? {} : { home: options.home }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const kernel = kernelHarness.kernel;
  const cert = options.tls === true ? await mintTestCertificate() : null;
  const config: GatewayConfig = {
    ...DEFAULT_GATEWAY_CONFIG,
    enabled: true,
    listen: { host: '127.0.0.1', port: 0 },
    ...(cert === null ? {} : { tls: { certPath: cert.certPath, keyPath: cert.keyPath } }),
    ...options.config,
  };
  let ctx: GatewayContext | null = null;
  let app: FastifyInstance | null = null;
  try {
    ctx = await buildGatewayContext(
      kernel,
      config,
      options.logger ?? kernelHarness.logs,
      options.now === undefined ? {} : { now: options.now },
    );
    app = await buildGatewayApp(
      ctx,
      options.extraModules === undefined ? {} : { extraModules: options.extraModules },
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
  } catch (e) {
    await app?.close();
    await ctx?.kernel.close();
    await kernelHarness.close();
    throw e;
  }
  const readyCtx = ctx;
  const readyApp = app;
  const port = (readyApp.server.address() as AddressInfo).port;
  const url = `${config.tls === null ? 'http' : 'https'}://127.0.0.1:${port}`;
  const dispatcher = new Agent(
    config.tls === null ? {} : { connect: { rejectUnauthorized: false } },
  );
  return {
    url,
    kernel,
    kernelHarness,
    ctx: readyCtx,
    app: readyApp,
    adminClient: readyCtx.kernel,
    async fetch(path, req = {}) {
      const headers: Record<string, string> = { ...req.headers };
      if (req.bearer !== undefined) headers.authorization = `Bearer ${req.bearer}`;
      let body: string | undefined;
      if (typeof req.body === 'string') body = req.body;
      else if (req.body !== undefined) {
        body = JSON.stringify(req.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await undiciFetch(`${url}${path}`, {
        method: req.method ?? 'GET',
        headers,
        ...(body === undefined ? {} : { body }),
        dispatcher,
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers as unknown as Headers, json, text };
    },
    bearerFor(principal, lifetimeSecs) {
      return readyCtx.tokens.mint(principal as PrincipalId, lifetimeSecs).token;
    },
    client(principal) {
      return kernelHarness.client(principal);
    },
    async close() {
      await readyApp.close();
      await dispatcher.close();
      await readyCtx.kernel.close();
      await kernelHarness.close();
    },
  };
}
