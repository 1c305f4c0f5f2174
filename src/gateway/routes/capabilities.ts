import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CAPABILITY_CATALOG } from '../../core/capabilities/capability-catalog.js';
import { ensureAdminViews } from '../admin/admin-call.js';
import { CapabilityInfoView, viewRef } from '../admin/admin-views.js';
import { CAPABILITY_CATEGORIES } from '../admin/capability-categories.js';
import type { GatewayContext } from '../gateway-context.js';
import { errorResponses } from '../http-errors.js';

const CatalogResponse = Type.Object(
  {
    capabilities: Type.Array(viewRef(CapabilityInfoView)),
    categories: Type.Array(Type.String()),
  },
  { title: 'CapabilityCatalogResponse' },
);

/** The capability catalogue dashboards use to explain and pick grants. */
export function register(app: FastifyInstance, _ctx: GatewayContext): void {
  ensureAdminViews(app);
  const catalogue = { capabilities: CAPABILITY_CATALOG, categories: CAPABILITY_CATEGORIES };

  app.get(
    '/api/sys/capabilities',
    {
      preHandler: app.authenticate,
      schema: {
        tags: ['system'],
        summary: 'The catalogue of capabilities the kernel checks, with categories',
        response: { 200: CatalogResponse, ...errorResponses(401, 500) },
      },
    },
    async () => catalogue,
  );
}
