import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrincipalId } from '../../src/core/ids/principal-id.js';
import { b64urlEncode } from '../../src/gateway/auth/base64url.js';
import { BearerTokens } from '../../src/gateway/auth/bearer-tokens.js';
import { buildGatewayApp } from '../../src/gateway/server.js';
import { runFiles } from '../../src/kernel/kernel.js';
import { type GatewayHarness, startGateway } from '../helpers/gateway-harness.js';
import { probeRoutes } from './probe-routes.js';

const SECURITY = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

function expectSecurityHeaders(headers: Headers): void {
  for (const [name, value] of Object.entries(SECURITY)) expect(headers.get(name)).toBe(value);
  expect(headers.get('strict-transport-security')).toBeNull();
}

function metricValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
}

describe('gateway foundation (plain HTTP)', () => {
  let gw: GatewayHarness;
  let clock = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    gw = await startGateway({
      extraModules: [probeRoutes],
      now: () => clock,
      config: { corsAllowOrigins: ['https://app.example', 'http://localhost:5173'] },
    });
  });
  afterAll(async () => {
    await gw?.close();
  });

  describe('security headers', () => {
    it('are on 200, 401, 404, 405 and 500 responses; no HSTS without TLS', async () => {
      const ok = await gw.fetch('/healthz');
      expect(ok.status).toBe(200);
      expectSecurityHeaders(ok.headers);
      const denied = await gw.fetch('/test/whoami');
      expect(denied.status).toBe(401);
      expectSecurityHeaders(denied.headers);
      const missing = await gw.fetch('/no/such/path');
      expect(missing.status).toBe(404);
      expectSecurityHeaders(missing.headers);
      const wrong = await gw.fetch('/healthz', { method: 'DELETE' });
      expect(wrong.status).toBe(405);
      expectSecurityHeaders(wrong.headers);
      const crash = await gw.fetch('/test/crash');
      expect(crash.status).toBe(500);
      expectSecurityHeaders(crash.headers);
    });

    it('leave a header the handler set alone (the docs page has its own CSP)', async () => {
      const docs = await gw.fetch('/api/docs/');
      expect(docs.status).toBe(200);
      expect(docs.headers.get('content-type')).toMatch(/text\/html/);
      const csp = docs.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(docs.headers.get('x-frame-options')).toBe('DENY');
    });
  });

  describe('CORS', () => {
    it('echoes each allow-listed origin with Vary: origin, never *', async () => {
      for (const origin of ['https://app.example', 'http://localhost:5173']) {
        const res = await gw.fetch('/healthz', { headers: { origin } });
        expect(res.headers.get('access-control-allow-origin')).toBe(origin);
        expect(res.headers.get('vary')?.toLowerCase()).toContain('origin');
        expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      }
    });

    it('gives an unlisted origin no Access-Control-Allow-Origin', async () => {
      const res = await gw.fetch('/healthz', { headers: { origin: 'https://evil.example' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('answers preflights itself (200) before routing and auth', async () => {
      const res = await gw.fetch('/api/sys/principals', {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
      expect(res.headers.get('access-control-allow-methods')).toBe(
        'GET, POST, PUT, PATCH, DELETE, OPTIONS',
      );
      expect(res.headers.get('access-control-allow-headers')).toBe(
        'authorization, content-type, accept',
      );
      expect(res.headers.get('access-control-max-age')).toBe('3600');
      expect(res.headers.get('vary')?.toLowerCase()).toContain('origin');
      expectSecurityHeaders(res.headers);
      const unlisted = await gw.fetch('/healthz', {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
      });
      expect(unlisted.status).toBe(200);
      expect(unlisted.headers.get('access-control-allow-origin')).toBeNull();
      expect(unlisted.headers.get('access-control-allow-methods')).toBeNull();
    });
  });

  describe('bearer authentication', () => {
    it('accepts a real bearer and takes the principal only from it', async () => {
      const res = await gw.fetch('/test/whoami?principal=root', {
        bearer: gw.bearerFor('default'),
      });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ principal: 'default', iat: clock });
    });

    it('answers 401 {"error":"unauthorized"} to missing, malformed, expired, forged and revoked bearers, counting each', async () => {
      const before = metricValue(
        (await gw.fetch('/metrics')).text,
        'astrid_gateway_auth_failures_total',
      );
      const good = gw.bearerFor('default');
      const [p, i, e, s] = good.split('.') as [string, string, string, string];
      const flipped = `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`;
      const other = new BearerTokens(randomBytes(32), 3600, () => clock).mint(
        'default' as PrincipalId,
      ).token;
      const cases: { name: string; headers?: Record<string, string>; bearer?: string }[] = [
        { name: 'missing' },
        { name: 'wrong scheme', headers: { authorization: `bearer ${good}` } },
        { name: 'basic', headers: { authorization: 'Basic ZGVmYXVsdDp4' } },
        { name: 'garbage', bearer: 'garbage' },
        { name: 'v1 three parts', bearer: [p, i, s].join('.') },
        { name: 'dots', bearer: '.'.repeat(10_000) },
        { name: 'padded', bearer: [`${p}=`, i, e, s].join('.') },
        { name: 'flipped signature', bearer: flipped },
        { name: 'swapped principal', bearer: [b64urlEncode('root'), i, e, s].join('.') },
        { name: 'other key', bearer: other },
        { name: 'expired (lifetime 0)', bearer: gw.bearerFor('default', 0) },
      ];
      for (const c of cases) {
        const res = await gw.fetch('/test/whoami', {
          ...(c.headers === undefined ? {} : { headers: c.headers }),
          ...(c.bearer === undefined ? {} : { bearer: c.bearer }),
        });
        expect({ name: c.name, status: res.status, body: res.json }).toEqual({
          name: c.name,
          status: 401,
          body: { error: 'unauthorized' },
        });
      }
      const after = metricValue(
        (await gw.fetch('/metrics')).text,
        'astrid_gateway_auth_failures_total',
      );
      expect(after - before).toBe(cases.length);
    });

    it('expires a bearer when the clock passes exp', async () => {
      const token = gw.bearerFor('default', 60);
      expect((await gw.fetch('/test/whoami', { bearer: token })).status).toBe(200);
      clock += 60;
      expect((await gw.fetch('/test/whoami', { bearer: token })).status).toBe(401);
    });

    it('rejects bearers issued at or before a recorded revocation, only for that principal', async () => {
      const zed = gw.bearerFor('zed');
      const ann = gw.bearerFor('ann');
      gw.ctx.revocations.revoke('zed' as PrincipalId, clock);
      expect((await gw.fetch('/test/whoami', { bearer: zed })).status).toBe(401);
      expect((await gw.fetch('/test/whoami', { bearer: ann })).status).toBe(200);
      clock += 1;
      expect((await gw.fetch('/test/whoami', { bearer: gw.bearerFor('zed') })).status).toBe(200);
    });

    it('deleting a principal through the admin API kills its live bearer at once, and persists', async () => {
      await gw.adminClient.admin('AgentCreate', { name: 'alice', groups: ['agent'] });
      // The kernel stamps the deletion with the wall clock; mint as of now.
      clock = Math.floor(Date.now() / 1000);
      const token = gw.bearerFor('alice');
      const bob = gw.bearerFor('default');
      expect((await gw.fetch('/test/whoami', { bearer: token })).status).toBe(200);
      await gw.adminClient.admin('AgentDelete', { principal: 'alice' });
      const after = await gw.fetch('/test/whoami', { bearer: token });
      expect(after.status).toBe(401);
      expect(after.json).toEqual({ error: 'unauthorized' });
      expect((await gw.fetch('/test/whoami', { bearer: bob })).status).toBe(200);
      await gw.ctx.revocations.flush();
      const file = JSON.parse(
        await readFile(join(gw.kernel.options.home.etcDir, 'gateway-revocations.json'), 'utf8'),
      ) as Record<string, number>;
      expect(file.alice).toBeGreaterThanOrEqual(clock);
      // A bearer minted after the deletion (for a principal re-created later) is not affected.
      clock = (file.alice as number) + 1;
      expect((await gw.fetch('/test/whoami', { bearer: gw.bearerFor('alice') })).status).toBe(200);
    });

    it('deleting a principal through DELETE /api/sys/principals/:id kills its live bearer at once', async () => {
      await gw.adminClient.admin('AgentCreate', { name: 'carl', groups: ['agent'] });
      clock = Math.floor(Date.now() / 1000);
      const token = gw.bearerFor('carl');
      expect((await gw.fetch('/test/whoami', { bearer: token })).status).toBe(200);
      const del = await gw.fetch('/api/sys/principals/carl', {
        method: 'DELETE',
        bearer: gw.bearerFor('default'),
      });
      expect(del.status).toBe(204);
      expect((await gw.fetch('/test/whoami', { bearer: token })).status).toBe(401);
      expect((await gw.fetch('/api/auth/me', { bearer: token })).status).toBe(401);
    });

    it('does not revoke on a failed delete', async () => {
      clock = Math.floor(Date.now() / 1000);
      const token = gw.bearerFor('nobody-here');
      await expect(
        gw.adminClient.admin('AgentDelete', { principal: 'nobody-here' }),
      ).rejects.toThrow();
      expect((await gw.fetch('/test/whoami', { bearer: token })).status).toBe(200);
      expect(gw.ctx.revocations.revokedAt('nobody-here' as PrincipalId)).toBeUndefined();
    });
  });

  describe('errors', () => {
    it('unknown paths are 404 JSON without an auth check; a wrong method is 405 with Allow', async () => {
      const res = await gw.fetch('/api/nothing/here');
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error: 'not_found' });
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const wrong = await gw.fetch('/test/whoami', { method: 'PUT' });
      expect(wrong.status).toBe(405);
      expect(wrong.json).toEqual({ error: 'method_not_allowed' });
      expect(wrong.headers.get('allow')).toBe('GET');
    });

    it('schema violations are 400 bad_request JSON', async () => {
      const bearer = gw.bearerFor('default');
      const res = await gw.fetch('/test/echo', { method: 'POST', bearer, body: { nom: 'x' } });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: 'bad_request', reason: expect.stringContaining('name') });
      const none = await gw.fetch('/test/echo', { method: 'POST', bearer });
      expect(none.status).toBe(400);
      expect((none.json as { error: string }).error).toBe('bad_request');
    });

    it('bodies of any content type are parsed as JSON; invalid JSON and >64 KiB are 400', async () => {
      const bearer = gw.bearerFor('default');
      const text = await gw.fetch('/test/echo', {
        method: 'POST',
        bearer,
        body: '{"name":"plain"}',
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.status).toBe(200);
      expect(text.json).toEqual({ name: 'plain' });
      const bad = await gw.fetch('/test/echo', {
        method: 'POST',
        bearer,
        body: '{"name":',
        headers: { 'content-type': 'application/json' },
      });
      expect(bad.status).toBe(400);
      expect(bad.json).toEqual({
        error: 'bad_request',
        reason: expect.stringMatching(/^invalid JSON/),
      });
      const big = await gw.fetch('/test/echo', {
        method: 'POST',
        bearer,
        body: { name: 'x'.repeat(70 * 1024) },
      });
      expect(big.status).toBe(400);
      expect(big.json).toEqual({
        error: 'bad_request',
        reason: expect.stringMatching(/^body read/),
      });
    });

    it('unexpected failures are a bare 500 internal, detail only in the log', async () => {
      const res = await gw.fetch('/test/crash');
      expect(res.status).toBe(500);
      expect(res.json).toEqual({ error: 'internal' });
      expect(res.text).not.toContain('secret');
      expect(
        gw.kernelHarness.logs.lines.some(
          (l) => l.level === 'error' && JSON.stringify(l.fields).includes('secret database detail'),
        ),
      ).toBe(true);
    });

    it('refuses to register a route that is neither public nor authenticated', async () => {
      await expect(
        buildGatewayApp(gw.ctx, {
          extraModules: [
            {
              register(app) {
                app.get('/test/open', () => 'oops');
              },
            },
          ],
        }),
      ).rejects.toThrow(/GET \/test\/open must be public \(config.public\) or authenticated/);
    });
  });

  describe('/healthz', () => {
    it('is 200 ok with the socket present and 503 without it', async () => {
      const res = await gw.fetch('/healthz');
      expect(res.status).toBe(200);
      expect(res.text).toBe('ok\n');
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      const socket = runFiles(gw.kernel.options.home).socket;
      await rename(socket, `${socket}.away`);
      try {
        const down = await gw.fetch('/healthz');
        expect(down.status).toBe(503);
        expect(down.text).toBe('daemon socket unreachable\n');
      } finally {
        await rename(`${socket}.away`, socket);
      }
    });
  });

  describe('/metrics', () => {
    it('renders gateway series by route template, the bus series, process and build info', async () => {
      await gw.fetch('/test/whoami', { bearer: gw.bearerFor('default') });
      await gw.fetch('/no/such/thing');
      const res = await gw.fetch('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = res.text;
      expect(text).toMatch(
        /astrid_gateway_requests_total\{method="GET",route="\/test\/whoami",status="200"\} [1-9]/,
      );
      expect(text).toMatch(
        /astrid_gateway_requests_total\{method="GET",route="<unmatched>",status="404"\} [1-9]/,
      );
      expect(text).toMatch(
        /astrid_gateway_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} [1-9]/,
      );
      expect(text).toContain(
        'astrid_gateway_request_duration_seconds_bucket{le="+Inf",method="GET",route="/healthz",status="200"}',
      );
      expect(text).toContain('# TYPE astrid_gateway_redeem_attempts_total counter');
      expect(text).toContain('# TYPE astrid_gateway_redeem_rate_limited_total counter');
      expect(text).toMatch(
        /astrid_build_info\{version="0\.8\.0",git_sha="(?:[0-9a-f]{12}|unknown)",node="v\d+/,
      );
      expect(text).toContain('process_cpu_seconds_total');
      expect(text).toContain('process_resident_memory_bytes');
      expect(text).toMatch(/astrid_bus_events_published_total\{event_kind="ipc"\} [1-9]/);
      expect(text).not.toContain('alice');
    });
  });
});

describe('redeem gate and client IP', () => {
  const redeem = (gw: GatewayHarness, forwardedFor?: string) =>
    gw.fetch('/test/redeem', {
      method: 'POST',
      ...(forwardedFor === undefined ? {} : { headers: { 'x-forwarded-for': forwardedFor } }),
    });

  it('limits per IP with 429 retry_after_secs and counts attempts and refusals; XFF from untrusted peers is ignored', async () => {
    const gw = await startGateway({
      extraModules: [probeRoutes],
      config: { redeemRateLimitSecs: 60 },
    });
    try {
      expect((await redeem(gw, '1.1.1.1')).status).toBe(200);
      const second = await redeem(gw, '2.2.2.2');
      expect(second.status).toBe(429);
      expect(second.json).toEqual({ error: 'rate_limited', retry_after_secs: expect.any(Number) });
      expect((second.json as { retry_after_secs: number }).retry_after_secs).toBeGreaterThanOrEqual(
        1,
      );
      expect(second.headers.get('retry-after')).toBeNull();
      const metrics = (await gw.fetch('/metrics')).text;
      expect(metricValue(metrics, 'astrid_gateway_redeem_attempts_total')).toBe(2);
      expect(metricValue(metrics, 'astrid_gateway_redeem_rate_limited_total')).toBe(1);
    } finally {
      await gw.close();
    }
  });

  it('honours X-Forwarded-For from a trusted proxy (first hop)', async () => {
    const gw = await startGateway({
      extraModules: [probeRoutes],
      config: { redeemRateLimitSecs: 60, trustForwardedFrom: ['127.0.0.1'] },
    });
    try {
      expect((await redeem(gw, '1.1.1.1, 127.0.0.1')).status).toBe(200);
      expect((await redeem(gw, '2.2.2.2')).status).toBe(200);
      expect((await redeem(gw, '1.1.1.1')).status).toBe(429);
    } finally {
      await gw.close();
    }
  });

  it('interval 0 never limits; an empty CORS list adds no CORS headers', async () => {
    const gw = await startGateway({
      extraModules: [probeRoutes],
      config: { redeemRateLimitSecs: 0 },
    });
    try {
      for (let i = 0; i < 3; i++) expect((await redeem(gw)).status).toBe(200);
      const res = await gw.fetch('/healthz', { headers: { origin: 'https://app.example' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('vary')).toBeNull();
    } finally {
      await gw.close();
    }
  });
});

describe('signing key and revocations across restarts', () => {
  it('bearers and revocations survive a restart; deleting the key invalidates every bearer', async () => {
    const first = await startGateway({ extraModules: [probeRoutes] });
    const home = first.kernel.options.home;
    const token = first.bearerFor('default');
    const keyPath = join(home.keysDir, 'gateway.ed25519');
    expect((await stat(keyPath)).mode & 0o777).toBe(0o600);
    expect((await readFile(keyPath)).length).toBe(32);
    await first.adminClient.admin('AgentCreate', { name: 'gone', groups: ['agent'] });
    const goneToken = first.bearerFor('gone');
    await first.adminClient.admin('AgentDelete', { principal: 'gone' });
    await first.close();

    const second = await startGateway({ extraModules: [probeRoutes], home });
    try {
      expect((await second.fetch('/test/whoami', { bearer: token })).status).toBe(200);
      expect((await second.fetch('/test/whoami', { bearer: goneToken })).status).toBe(401);
    } finally {
      await second.close();
    }

    await rm(keyPath);
    const third = await startGateway({ extraModules: [probeRoutes], home });
    try {
      expect((await third.fetch('/test/whoami', { bearer: token })).status).toBe(401);
      expect(
        (await third.fetch('/test/whoami', { bearer: third.bearerFor('default') })).status,
      ).toBe(200);
    } finally {
      await third.close();
    }
  });
});
