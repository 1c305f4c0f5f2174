import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../helpers/gateway-harness.js';
import { probeRoutes } from './probe-routes.js';

const HSTS = 'max-age=63072000; includeSubDomains';

async function deleteKillsBearer(gw: GatewayHarness, name: string): Promise<void> {
  await gw.adminClient.admin('AgentCreate', { name, groups: ['agent'] });
  const token = gw.bearerFor(name);
  expect((await gw.fetch('/test/whoami', { bearer: token })).json).toMatchObject({
    principal: name,
  });
  await gw.adminClient.admin('AgentDelete', { principal: name });
  const res = await gw.fetch('/test/whoami', { bearer: token });
  expect(res.status).toBe(401);
  expect(res.json).toEqual({ error: 'unauthorized' });
}

describe('native TLS (certificate minted at test time)', () => {
  let tls: GatewayHarness;
  let plain: GatewayHarness;

  beforeAll(async () => {
    [tls, plain] = await Promise.all([
      startGateway({ tls: true, extraModules: [probeRoutes] }),
      startGateway({ extraModules: [probeRoutes] }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([tls?.close(), plain?.close()]);
  });

  it('serves HTTPS with HSTS and the security headers on 200, 401 and 404', async () => {
    expect(tls.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    for (const [path, status] of [
      ['/healthz', 200],
      ['/test/whoami', 401],
      ['/nowhere', 404],
    ] as const) {
      const res = await tls.fetch(path);
      expect(res.status).toBe(status);
      expect(res.headers.get('strict-transport-security')).toBe(HSTS);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('sends no HSTS over plain HTTP', async () => {
    expect(plain.url).toMatch(/^http:\/\//);
    for (const path of ['/healthz', '/test/whoami', '/nowhere'])
      expect((await plain.fetch(path)).headers.get('strict-transport-security')).toBeNull();
  });

  it('authenticates bearers over TLS', async () => {
    const res = await tls.fetch('/test/whoami', { bearer: tls.bearerFor('default') });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ principal: 'default' });
  });

  it('revokes a deleted principal’s bearer in TLS mode', async () => {
    await deleteKillsBearer(tls, 'tls-victim');
  });

  it('revokes a deleted principal’s bearer in plain mode', async () => {
    await deleteKillsBearer(plain, 'plain-victim');
  });
});
