import type { FastifyRequest } from 'fastify';
import type { GatewayContext } from '../gateway-context.js';
import { rateLimited } from '../http-errors.js';
import { clientIp } from '../net/request-ip.js';

/**
 * The shared entry check of both redeem routes: counts the attempt, then
 * applies the per-IP limiter (before the kernel call, so failed attempts
 * use up the budget too). Throws 429 `rate_limited` with
 * `retry_after_secs` when refused.
 */
export function admitRedeem(request: FastifyRequest, ctx: GatewayContext): void {
  ctx.metrics.redeemAttempt();
  const verdict = ctx.redeemLimiter.check(clientIp(request, ctx));
  if (verdict.allowed) return;
  ctx.metrics.redeemRefused();
  ctx.logger.warn(
    {
      security_event: true,
      route: request.routeOptions.url,
      retry_after_secs: verdict.retryAfterSecs,
    },
    'redeem rate-limited',
  );
  throw rateLimited(verdict.retryAfterSecs);
}
