import { STATUS_CODES } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, type Registry } from 'prom-client';
import { ASTRID_VERSION } from '../core/version.js';
import { gitSha } from './build-info.js';

const METHODS = new Set([
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'HEAD',
  'OPTIONS',
  'CONNECT',
  'TRACE',
]);
export const UNMATCHED_ROUTE = '<unmatched>';
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The bounded `method` label: a standard verb, else `OTHER`. */
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : 'OTHER';
}

/** The bounded `status` label: a standard code, else `other`. */
export function statusLabel(status: number): string {
  return STATUS_CODES[status] === undefined ? 'other' : String(status);
}

/** Registers a metric once per registry (a second gateway on the same kernel reuses it). */
function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * The gateway's Prometheus series (spec §7.1), registered on the kernel
 * bus's registry so one `/metrics` scrape renders the gateway, bus, daemon
 * and process series together. Labels are closed sets: method, route
 * template, status — never a principal, token or IP.
 */
export class GatewayMetrics {
  readonly registry: Registry;
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route' | 'status'>;
  private readonly authFailures: Counter;
  private readonly redeemAttempts: Counter;
  private readonly redeemRateLimited: Counter;

  constructor(registry: Registry) {
    this.registry = registry;
    const registers = [registry];
    const labelNames = ['method', 'route', 'status'] as const;
    this.requests = once(
      registry,
      'astrid_gateway_requests_total',
      () =>
        new Counter({
          name: 'astrid_gateway_requests_total',
          help: 'HTTP requests answered by the gateway, by method, route template and status.',
          labelNames,
          registers,
        }),
    );
    this.duration = once(
      registry,
      'astrid_gateway_request_duration_seconds',
      () =>
        new Histogram({
          name: 'astrid_gateway_request_duration_seconds',
          help: 'Time from request arrival to the end of the response.',
          labelNames,
          buckets: DURATION_BUCKETS,
          registers,
        }),
    );
    this.authFailures = once(
      registry,
      'astrid_gateway_auth_failures_total',
      () =>
        new Counter({
          name: 'astrid_gateway_auth_failures_total',
          help: 'Requests to authenticated routes refused with 401 (missing, malformed, expired, forged or revoked bearer).',
          registers,
        }),
    );
    this.redeemAttempts = once(
      registry,
      'astrid_gateway_redeem_attempts_total',
      () =>
        new Counter({
          name: 'astrid_gateway_redeem_attempts_total',
          help: 'Invite and pair-device redeem requests received (including rate-limited ones).',
          registers,
        }),
    );
    this.redeemRateLimited = once(
      registry,
      'astrid_gateway_redeem_rate_limited_total',
      () =>
        new Counter({
          name: 'astrid_gateway_redeem_rate_limited_total',
          help: 'Redeem requests refused by the per-IP redeem limiter.',
          registers,
        }),
    );
    once(registry, 'astrid_build_info', () => {
      const gauge = new Gauge({
        name: 'astrid_build_info',
        help: 'Constant 1, labelled with the build: version, git commit and Node.js runtime.',
        labelNames: ['version', 'git_sha', 'node'] as const,
        registers,
      });
      gauge.set({ version: ASTRID_VERSION, git_sha: gitSha(), node: process.version }, 1);
      return gauge;
    });
    if (registry.getSingleMetric('process_cpu_seconds_total') === undefined)
      collectDefaultMetrics({ register: registry });
  }

  /** One answered request; `route` is the matched template or `<unmatched>`. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method: methodLabel(method), route, status: statusLabel(status) };
    this.requests.inc(labels);
    this.duration.observe(labels, seconds);
  }

  authFailure(): void {
    this.authFailures.inc();
  }

  /** Call on every redeem request, before the limiter decides. */
  redeemAttempt(): void {
    this.redeemAttempts.inc();
  }

  /** Call when the limiter refuses a redeem. */
  redeemRefused(): void {
    this.redeemRateLimited.inc();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
