import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASTRID_VERSION } from '../../src/core/version.js';
import { OPENAPI_TAGS } from '../../src/gateway/openapi.js';
import type { RegisteredRoute } from '../../src/gateway/server.js';
import { type GatewayHarness, startGateway } from '../helpers/gateway-harness.js';

interface Operation {
  tags?: string[];
  summary?: string;
  security?: Record<string, string[]>[];
  responses?: Record<string, unknown>;
}
interface OpenApi {
  openapi: string;
  info: { title: string; version: string };
  security: Record<string, string[]>[];
  components: {
    securitySchemes: Record<string, Record<string, string>>;
    schemas?: Record<string, unknown>;
  };
  paths: Record<string, Record<string, Operation>>;
}

/** `/api/sys/principals/:id` → `/api/sys/principals/{id}` */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('OpenAPI drift', () => {
  let gw: GatewayHarness;
  let routes: RegisteredRoute[] = [];
  let doc: OpenApi;

  beforeAll(async () => {
    gw = await startGateway();
    const res = await gw.fetch('/api/openapi.json');
    expect(res.status).toBe(200);
    doc = res.json as OpenApi;
    // The real app's route table; the docs page's own assets are hidden by design.
    routes = gw.app.gatewayRoutes.filter((r) => !r.hidden);
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('describes the gateway: title, real version, bearer scheme, tags', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Astrid Gateway', version: ASTRID_VERSION });
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'astrid-session-v2',
    });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.schemas?.ErrorBody).toBeDefined();
  });

  it('has every registered route with its method, response schemas and a known tag; the counts match', () => {
    const known = new Set<string>(OPENAPI_TAGS.map((t) => t.name));
    let documented = 0;
    for (const ops of Object.values(doc.paths))
      documented += Object.keys(ops).filter((m) => m !== 'parameters').length;
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      const method = route.method.toLowerCase();
      const op = doc.paths[openApiPath(route.url)]?.[method];
      expect(op, `${route.method} ${route.url} is missing from the OpenAPI document`).toBeDefined();
      if (op === undefined) continue;
      expect(op.tags?.length, `${route.method} ${route.url} has no tag`).toBe(1);
      expect(known.has(op.tags?.[0] ?? ''), `${route.method} ${route.url} tag ${op.tags}`).toBe(
        true,
      );
      const declared = Object.keys(
        (route.schema as { response?: Record<string, unknown> } | undefined)?.response ?? {},
      );
      expect(
        declared.length,
        `${route.method} ${route.url} declares no response schema`,
      ).toBeGreaterThan(0);
      expect(Object.keys(op.responses ?? {}).sort()).toEqual(declared.sort());
      if (route.public) expect(op.security, `${route.url} is public`).toEqual([{}]);
      else {
        expect(op.security, `${route.url} inherits bearerAuth`).toBeUndefined();
        expect(
          op.responses?.['401'],
          `${route.method} ${route.url} documents its 401`,
        ).toBeDefined();
      }
    }
    expect(documented).toBe(routes.length);
  });

  it('documents the public operational routes', () => {
    for (const path of ['/healthz', '/metrics', '/api/openapi.json'])
      expect(doc.paths[path]?.get?.security).toEqual([{}]);
  });
});
