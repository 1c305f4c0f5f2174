import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { GatewayMetrics, methodLabel, statusLabel } from './metrics.js';

describe('GatewayMetrics', () => {
  it('bounds labels', () => {
    expect(methodLabel('GET')).toBe('GET');
    expect(methodLabel('PROPFIND')).toBe('OTHER');
    expect(statusLabel(404)).toBe('404');
    expect(statusLabel(599)).toBe('other');
  });

  it('renders every series, unlabelled counters at 0 from the start, and counts', async () => {
    const registry = new Registry();
    const m = new GatewayMetrics(registry);
    let text = await m.render();
    for (const name of [
      'astrid_gateway_auth_failures_total 0',
      'astrid_gateway_redeem_attempts_total 0',
      'astrid_gateway_redeem_rate_limited_total 0',
      'astrid_build_info{version="0.8.0"',
      'process_cpu_seconds_total',
    ])
      expect(text).toContain(name);
    m.observeRequest('GET', '/x/:id', 200, 0.003);
    m.authFailure();
    m.redeemAttempt();
    m.redeemAttempt();
    m.redeemRefused();
    text = await m.render();
    expect(text).toContain(
      'astrid_gateway_requests_total{method="GET",route="/x/:id",status="200"} 1',
    );
    expect(text).toContain(
      'astrid_gateway_request_duration_seconds_bucket{le="0.005",method="GET",route="/x/:id",status="200"} 1',
    );
    expect(text).toContain('astrid_gateway_auth_failures_total 1');
    expect(text).toContain('astrid_gateway_redeem_attempts_total 2');
    expect(text).toContain('astrid_gateway_redeem_rate_limited_total 1');
    expect(m.contentType).toContain('version=0.0.4');
  });

  it('a second instance on the same registry shares the series', async () => {
    const registry = new Registry();
    new GatewayMetrics(registry).authFailure();
    const again = new GatewayMetrics(registry);
    again.authFailure();
    expect(await again.render()).toContain('astrid_gateway_auth_failures_total 2');
  });
});
