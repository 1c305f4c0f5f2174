import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PRINCIPAL, HOST_SCOPE } from '../../src/core/ids/principal-id.js';
import { ASTRID_VERSION } from '../../src/core/version.js';
import { buildGatewayContext } from '../../src/gateway/build-context.js';
import { buildGatewayApp } from '../../src/gateway/server.js';
import { capsuleSource } from '../helpers/capsule-source.js';
import { type GatewayHarness, type HttpResult, startGateway } from '../helpers/gateway-harness.js';

const DISTRO = `
[distro]
id = "acme"
name = "Acme Agents"
pretty-name = "Acme Agents 1.0"
description = "Agents for Acme"
homepage = "https://acme.example"

[invites]
issuers = ["default"]

[branding]
color = "#ff0000"

[variables.OPENAI_KEY]
secret = true
description = "Your provider key"

[variables.REGION]
default = "eu"
`;

const CAPSULE_TOML = `
[publish]
"weather.v1.report" = "opaque"

[subscribe]
"weather.v1.request" = { wit = "opaque", handler = "on_request", priority = 5 }
"weather.v1.tick" = "opaque"

[env.API_KEY]
type = "Secret"
description = "Provider key"
request = "Paste your provider key"

[env.CITY]
type = "text"
default = "Paris"
placeholder = "a city"

[env.UNITS]
type = "select"
enum_values = ["metric", "imperial"]

[env.ALERTS]
type = "array"
`;

let gw: GatewayHarness;
let admin: string;
let alice: string;
let mute: string;

beforeAll(async () => {
  gw = await startGateway({
    config: { distroPath: '/etc/acme/Distro.toml', distro: parse(DISTRO) },
  });
  await gw.adminClient.admin('AgentCreate', { name: 'alice', groups: ['agent'] });
  await gw.adminClient.admin('AgentCreate', { name: 'bob', groups: ['agent'] });
  await gw.adminClient.admin('AgentCreate', { name: 'mute', groups: ['restricted'] });
  admin = gw.bearerFor(DEFAULT_PRINCIPAL);
  alice = gw.bearerFor('alice');
  mute = gw.bearerFor('mute');
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

/** A well-formed bearer for `default` signed by another key. */
const FORGED = `${Buffer.from('default').toString('base64url')}.${Buffer.from('1').toString('base64url')}.${Buffer.from('99999999999').toString('base64url')}.${'ab'.repeat(64)}`;

async function expectUnauthorized(path: string, method = 'GET', body?: unknown): Promise<void> {
  for (const bearer of [undefined, 'not-a-token', FORGED]) {
    const r = await gw.fetch(path, {
      method,
      ...(body === undefined ? {} : { body }),
      ...(bearer === undefined ? {} : { bearer }),
    });
    expect(r.status, `${method} ${path} with ${bearer ?? 'no bearer'}`).toBe(401);
    expect(r.json).toEqual({ error: 'unauthorized' });
  }
}

function expectError(r: HttpResult, status: number, error: string, reason?: string | RegExp): void {
  expect(r.status, r.text).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  const body = r.json as { error: string; reason?: string };
  expect(body.error).toBe(error);
  if (typeof reason === 'string') expect(body.reason).toBe(reason);
  else if (reason !== undefined) expect(body.reason).toMatch(reason);
}

const denied = (principal: string, capability: string) =>
  `permission denied for principal ${principal}: missing capability ${capability}`;

describe('discovery', () => {
  it('reflects the Distro.toml read at boot, without a bearer', async () => {
    const r = await gw.fetch('/api/distribution');
    expect(r.status).toBe(200);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.json).toEqual({
      id: 'acme',
      name: 'Acme Agents',
      pretty_name: 'Acme Agents 1.0',
      description: 'Agents for Acme',
      homepage: 'https://acme.example',
      invites_enabled: true,
      branding: { color: '#ff0000' },
    });
    const o = await gw.fetch('/api/distribution/onboarding', { bearer: 'garbage' });
    expect(o.status).toBe(200);
    expect(o.json).toEqual({
      fields: [
        { key: 'OPENAI_KEY', secret: true, description: 'Your provider key', default: null },
        { key: 'REGION', secret: false, description: null, default: 'eu' },
      ],
    });
  });

  it('reports single-tenant defaults without a distro path', async () => {
    const ctx = await buildGatewayContext(gw.kernel, { ...gw.ctx.config }, gw.ctx.logger);
    const app = await buildGatewayApp({
      ...ctx,
      config: { ...ctx.config, distroPath: null, distro: null },
    });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const info = await fetch(`http://127.0.0.1:${port}/api/distribution`);
      expect(info.status).toBe(200);
      expect(await info.json()).toEqual({
        id: 'single-tenant',
        name: 'Astrid',
        pretty_name: null,
        description: null,
        homepage: null,
        invites_enabled: false,
        branding: null,
      });
      const onboarding = await fetch(`http://127.0.0.1:${port}/api/distribution/onboarding`);
      expect(await onboarding.json()).toEqual({ fields: [] });
    } finally {
      await app.close();
      await ctx.kernel.close();
    }
  });
});

describe('POST /api/capsules', () => {
  it('installs a local capsule directory as the caller and loads it', async () => {
    const source = await capsuleSource({ name: 'weather', wasm: null, extraToml: CAPSULE_TOML });
    const r = await gw.fetch('/api/capsules', { method: 'POST', bearer: admin, body: { source } });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({
      capsule: 'weather',
      phase: 'install',
      installed_version: '1.0.0',
      previous_version: null,
      target_dir: gw.kernelHarness.home.defaultPrincipal.capsuleDir('weather' as never),
      missing_imports: [],
      export_conflicts: [],
    });
    expect(gw.kernel.capsules.registry.has('weather' as never)).toBe(true);
  });

  it('refuses remote sources and workspace installs with 400 and the reason', async () => {
    for (const source of [
      'https://example.com/x.capsule',
      'github.com/acme/x',
      'gh:acme/x',
      '@acme/x',
    ]) {
      const r = await gw.fetch('/api/capsules', {
        method: 'POST',
        bearer: admin,
        body: { source },
      });
      expectError(r, 400, 'bad_request', /installs only local paths/);
    }
    const ws = await gw.fetch('/api/capsules', {
      method: 'POST',
      bearer: admin,
      body: { source: '/tmp', workspace: true },
    });
    expectError(ws, 400, 'bad_request', /workspace installs are done by the CLI/);
  });

  it('refuses a missing path, a missing source and unknown fields with 400', async () => {
    const gone = await gw.fetch('/api/capsules', {
      method: 'POST',
      bearer: admin,
      body: { source: '/nonexistent/astrid/capsule' },
    });
    expectError(gone, 400, 'bad_request', 'nothing to install at /nonexistent/astrid/capsule');
    expectError(
      await gw.fetch('/api/capsules', { method: 'POST', bearer: admin, body: {} }),
      400,
      'bad_request',
      /source/,
    );
    expectError(
      await gw.fetch('/api/capsules', {
        method: 'POST',
        bearer: admin,
        body: { source: '/x', force: 1 },
      }),
      400,
      'bad_request',
    );
    expectError(
      await gw.fetch('/api/capsules', { method: 'POST', bearer: admin, body: '{nope' }),
      400,
      'bad_request',
      /^invalid JSON/,
    );
  });

  it('needs a bearer and self:capsule:install', async () => {
    await expectUnauthorized('/api/capsules', 'POST', { source: '/tmp' });
    expectError(
      await gw.fetch('/api/capsules', { method: 'POST', bearer: mute, body: { source: '/tmp' } }),
      403,
      'forbidden',
      denied('mute', 'self:capsule:install'),
    );
  });
});

describe('GET /api/capsules and /api/capsules/:id', () => {
  it('lists loaded capsules for a caller with self:capsule:list', async () => {
    for (const bearer of [admin, alice]) {
      const r = await gw.fetch('/api/capsules', { bearer });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ capsules: ['weather'] });
    }
    await expectUnauthorized('/api/capsules');
    expectError(
      await gw.fetch('/api/capsules', { bearer: mute }),
      403,
      'forbidden',
      denied('mute', 'self:capsule:list'),
    );
  });

  it('describes one capsule, 404 for an unknown one, 400 for a malformed id', async () => {
    const r = await gw.fetch('/api/capsules/weather', { bearer: alice });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ id: 'weather', interceptor_events: ['weather.v1.request'] });
    expectError(await gw.fetch('/api/capsules/nope', { bearer: alice }), 404, 'not_found');
    expectError(
      await gw.fetch('/api/capsules/Weather', { bearer: alice }),
      400,
      'bad_request',
      /use only lowercase letters, digits and '-'/,
    );
    expectError(
      await gw.fetch('/api/capsules/a..b', { bearer: alice }),
      400,
      'bad_request',
      /without '\.\.'/,
    );
    await expectUnauthorized('/api/capsules/weather');
    expectError(
      await gw.fetch('/api/capsules/weather', { bearer: mute }),
      403,
      'forbidden',
      denied('mute', 'self:capsule:list'),
    );
  });
});

describe('GET /api/capsules/:id/topics', () => {
  it("lists the capsule's declared topics from its manifest", async () => {
    const r = await gw.fetch('/api/capsules/weather/topics', { bearer: alice });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({
      topics: [
        { topic: 'weather.v1.report', direction: 'publish', wit: 'opaque', fanout: false },
        {
          topic: 'weather.v1.request',
          direction: 'subscribe',
          wit: 'opaque',
          handler: 'on_request',
          priority: 5,
        },
        {
          topic: 'weather.v1.tick',
          direction: 'subscribe',
          wit: 'opaque',
          handler: null,
          priority: null,
        },
      ],
    });
  });

  it('answers 400, 401, 403 and 404', async () => {
    expectError(await gw.fetch('/api/capsules/nope/topics', { bearer: alice }), 404, 'not_found');
    expectError(await gw.fetch('/api/capsules/-x/topics', { bearer: alice }), 400, 'bad_request');
    await expectUnauthorized('/api/capsules/weather/topics');
    expectError(
      await gw.fetch('/api/capsules/weather/topics', { bearer: mute }),
      403,
      'forbidden',
      denied('mute', 'self:capsule:list'),
    );
  });
});

describe('GET /api/capsules/:id/env', () => {
  it('describes [env] by each field’s type', async () => {
    const r = await gw.fetch('/api/capsules/weather/env', { bearer: alice });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({
      capsule_id: 'weather',
      fields: {
        ALERTS: { type: 'array' },
        API_KEY: {
          type: 'secret',
          description: 'Provider key',
          request: 'Paste your provider key',
        },
        CITY: { type: 'text', default: 'Paris', placeholder: 'a city' },
        UNITS: { type: 'select', enum_values: ['metric', 'imperial'] },
      },
    });
  });

  it('answers 400, 401, 403 and 404', async () => {
    expectError(await gw.fetch('/api/capsules/nope/env', { bearer: alice }), 404, 'not_found');
    expectError(
      await gw.fetch(`/api/capsules/${'a'.repeat(65)}/env`, { bearer: alice }),
      400,
      'bad_request',
      /exceeds 64 characters/,
    );
    expectError(
      await gw.fetch('/api/capsules/a..b/env', { bearer: alice }),
      400,
      'bad_request',
      /1-128 ASCII letters/,
    );
    expectError(
      await gw.fetch('/api/capsules/we%20ather/env', { bearer: alice }),
      400,
      'bad_request',
    );
    await expectUnauthorized('/api/capsules/weather/env');
    expectError(
      await gw.fetch('/api/capsules/weather/env', { bearer: mute }),
      403,
      'forbidden',
      denied('mute', 'self:capsule:list'),
    );
  });
});

describe('POST /api/capsules/:id/env/:field', () => {
  const home = () => gw.kernelHarness.home;
  const envFile = (principal: string) =>
    join(home().root, 'home', principal, '.config', 'env', 'weather.env.json');
  const readEnv = async (principal: string) =>
    JSON.parse(await readFile(envFile(principal), 'utf8')) as Record<string, string>;
  const set = (field: string, value: unknown, bearer = alice) =>
    gw.fetch(`/api/capsules/weather/env/${field}`, { method: 'POST', bearer, body: { value } });

  it('stores a secret in the caller’s secret store, never in the env file', async () => {
    const r = await set('API_KEY', 'sk-alice-123');
    expect(r.status, r.text).toBe(204);
    expect(r.text).toBe('');
    const path = join(home().root, 'secrets', 'alice', 'weather', 'API_KEY');
    expect(await readFile(path, 'utf8')).toBe('sk-alice-123');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await expect(
      stat(join(home().root, 'secrets', HOST_SCOPE, 'weather', 'API_KEY')),
    ).rejects.toThrow();
    await expect(readFile(envFile('alice'), 'utf8')).rejects.toThrow();
    const logged = JSON.stringify(gw.kernelHarness.logs.lines);
    expect(logged).not.toContain('sk-alice-123');
  });

  it('writes text and select values to the caller’s env file and appends arrays', async () => {
    expect((await set('CITY', 'Oslo')).status).toBe(204);
    expect((await set('UNITS', 'imperial')).status).toBe(204);
    expect((await set('ALERTS', 'storm')).status).toBe(204);
    expect((await set('ALERTS', 'heat')).status).toBe(204);
    expect(await readEnv('alice')).toEqual({
      ALERTS: '["storm","heat"]',
      CITY: 'Oslo',
      UNITS: 'imperial',
    });
    expect((await stat(envFile('alice'))).mode & 0o777).toBe(0o600);
    // Another caller writes its own scope.
    expect((await set('CITY', 'Rome', admin)).status).toBe(204);
    expect(await readEnv('default')).toEqual({ CITY: 'Rome' });
    expect((await readEnv('alice')).CITY).toBe('Oslo');
  });

  it('refuses bad values, names and bodies with 400', async () => {
    expectError(
      await set('UNITS', 'kelvin'),
      400,
      'bad_request',
      'UNITS must be one of metric, imperial (got "kelvin")',
    );
    expectError(await set('CITY', ''), 400, 'bad_request', 'CITY: the value must not be empty');
    expectError(await set('CITY', { nested: true }), 400, 'bad_request', /value/);
    expectError(
      await gw.fetch('/api/capsules/weather/env/CITY', { method: 'POST', bearer: alice, body: {} }),
      400,
      'bad_request',
      /value/,
    );
    expectError(await set('a..b', 'x'), 400, 'bad_request', /invalid field "a..b"/);
    expectError(
      await gw.fetch('/api/capsules/Bad_Id/env/CITY', {
        method: 'POST',
        bearer: alice,
        body: { value: 'x' },
      }),
      400,
      'bad_request',
    );
  });

  it('answers 404 for an unknown field or capsule, 401 and 403', async () => {
    expectError(await set('NOPE', 'x'), 404, 'not_found');
    expectError(
      await gw.fetch('/api/capsules/nope/env/CITY', {
        method: 'POST',
        bearer: alice,
        body: { value: 'x' },
      }),
      404,
      'not_found',
    );
    await expectUnauthorized('/api/capsules/weather/env/CITY', 'POST', { value: 'x' });
    expectError(
      await set('CITY', 'x', mute),
      403,
      'forbidden',
      denied('mute', 'self:capsule:install'),
    );
  });
});

describe('GET /api/sys/status', () => {
  it('reports the daemon for a caller with system:status', async () => {
    const r = await gw.fetch('/api/sys/status', { bearer: admin });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      pid: process.pid,
      version: ASTRID_VERSION,
      ephemeral: false,
      loaded_capsules: ['weather'],
    });
  });

  it('answers 401 and 403 (agents lack system:status)', async () => {
    await expectUnauthorized('/api/sys/status');
    expectError(
      await gw.fetch('/api/sys/status', { bearer: alice }),
      403,
      'forbidden',
      denied('alice', 'system:status'),
    );
  });
});

describe('GET /api/sys/audit', () => {
  interface Page {
    entries: { method: string; principal: string | null; outcome: string; ts_epoch: number }[];
    next_cursor: string | null;
    principal: string | null;
    firehose: boolean;
  }

  it('gives an administrator every row, newest first, filtered and paged', async () => {
    const r = await gw.fetch('/api/sys/audit?method=admin.agent.create', { bearer: admin });
    expect(r.status, r.text).toBe(200);
    const page = r.json as Page;
    expect(page.firehose).toBe(true);
    expect(page.entries.map((e) => e.method)).toEqual([
      'admin.agent.create',
      'admin.agent.create',
      'admin.agent.create',
    ]);
    const first = (await gw.fetch('/api/sys/audit?limit=2', { bearer: admin })).json as Page;
    expect(first.entries).toHaveLength(2);
    expect(first.next_cursor).not.toBeNull();
    const second = (
      await gw.fetch(
        `/api/sys/audit?limit=2&cursor=${encodeURIComponent(first.next_cursor ?? '')}`,
        {
          bearer: admin,
        },
      )
    ).json as Page;
    expect(second.entries).toHaveLength(2);
    expect(second.entries[0]).not.toEqual(first.entries[0]);
    const bobs = (await gw.fetch('/api/sys/audit?principal=bob', { bearer: admin })).json as Page;
    expect(bobs.principal).toBe('bob');
  });

  it('pins an agent to its own rows whatever principal it asks for', async () => {
    await gw.fetch('/api/sys/status', { bearer: alice });
    const r = await gw.fetch('/api/sys/audit?principal=default', { bearer: alice });
    expect(r.status).toBe(200);
    const page = r.json as Page;
    expect(page.firehose).toBe(false);
    expect(page.principal).toBe('alice');
    expect(page.entries.length).toBeGreaterThan(0);
    expect(new Set(page.entries.map((e) => e.principal))).toEqual(new Set(['alice']));
    expect(page.entries.some((e) => e.method === 'GetStatus' && e.outcome === 'failure')).toBe(
      true,
    );
  });

  it('refuses bad queries with 400', async () => {
    expectError(
      await gw.fetch('/api/sys/audit?limit=1001', { bearer: admin }),
      400,
      'bad_request',
      'limit 1001 exceeds the cap of 1000',
    );
    expectError(
      await gw.fetch('/api/sys/audit?cursor=garbage', { bearer: admin }),
      400,
      'bad_request',
      /invalid audit cursor/,
    );
    expectError(await gw.fetch('/api/sys/audit?limit=abc', { bearer: admin }), 400, 'bad_request');
    expectError(await gw.fetch('/api/sys/audit?since=-1', { bearer: admin }), 400, 'bad_request');
    expectError(
      await gw.fetch('/api/sys/audit?since=20&until=10', { bearer: admin }),
      400,
      'bad_request',
      'since (20) is after until (10)',
    );
    expectError(
      await gw.fetch('/api/sys/audit?principal=a%20b', { bearer: admin }),
      400,
      'bad_request',
      /^principal: invalid principal id/,
    );
  });

  it('answers 401, and 403 without self:audit:read', async () => {
    await expectUnauthorized('/api/sys/audit');
    expectError(
      await gw.fetch('/api/sys/audit', { bearer: mute }),
      403,
      'forbidden',
      denied('mute', 'self:audit:read'),
    );
  });
});

// The kernel's per-method limits are process-wide sliding minutes; these run last.
describe('kernel rate limits', () => {
  it('reloads with 204, refuses without the capability, then 429 past 5 per minute', async () => {
    const ok = await gw.fetch('/api/sys/capsules/reload', { method: 'POST', bearer: admin });
    expect(ok.status, ok.text).toBe(204);
    expect(ok.text).toBe('');
    expect(gw.kernel.capsules.registry.has('weather' as never)).toBe(true);
    await expectUnauthorized('/api/sys/capsules/reload', 'POST');
    expectError(
      await gw.fetch('/api/sys/capsules/reload', { method: 'POST', bearer: mute }),
      403,
      'forbidden',
      denied('mute', 'self:capsule:reload'),
    );
    const statuses: number[] = [];
    let last: HttpResult | null = null;
    for (let i = 0; i < 5; i++) {
      last = await gw.fetch('/api/sys/capsules/reload', { method: 'POST', bearer: alice });
      statuses.push(last.status);
      if (last.status === 429) break;
    }
    expect(statuses).toEqual([204, 204, 204, 429]);
    expect(last?.json).toEqual({ error: 'rate_limited', retry_after_secs: 60 });
  });

  it('answers 429 once installs pass 10 per minute', async () => {
    let last: HttpResult | null = null;
    for (let i = 0; i < 11; i++) {
      last = await gw.fetch('/api/capsules', {
        method: 'POST',
        bearer: admin,
        body: { source: 'https://example.com/x.capsule' },
      });
      if (last.status === 429) break;
      expect(last.status).toBe(400);
    }
    expect(last?.status).toBe(429);
    expect(last?.json).toEqual({ error: 'rate_limited', retry_after_secs: 60 });
  });
});
