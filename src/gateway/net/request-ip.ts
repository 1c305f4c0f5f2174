import type { FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { GatewayContext } from '../gateway-context.js';
import { resolveClientIp, trustedProxies } from './client-ip.js';

const trustedByConfig = new WeakMap<GatewayConfig, ReadonlySet<string>>();

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The request's client IP (spec §1.5): forwarding headers count only from `trust-forwarded-from` peers. */
export function clientIp(request: FastifyRequest, ctx: GatewayContext): string {
  let trusted = trustedByConfig.get(ctx.config);
  if (trusted === undefined) {
    trusted = trustedProxies(ctx.config.trustForwardedFrom);
    trustedByConfig.set(ctx.config, trusted);
  }
  return resolveClientIp(
    request.socket.remoteAddress ?? '',
    {
      forwardedFor: single(request.headers['x-forwarded-for']),
      realIp: single(request.headers['x-real-ip']),
    },
    trusted,
  );
}
