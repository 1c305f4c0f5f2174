import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { JsonObject } from '../../events/json.js';
import { adminFor, answerAs, ensureAdminViews } from '../admin/admin-call.js';
import {
  PrincipalIdSchema,
  QuotasAnswer,
  QuotasView,
  ResourceUsageView,
  viewRef,
} from '../admin/admin-views.js';
import type { GatewayContext } from '../gateway-context.js';
import { errorResponses } from '../http-errors.js';

const TAG = 'quotas';

const Params = Type.Object({ id: PrincipalIdSchema });
type Params = Static<typeof Params>;

/**
 * The quota block is passed to the kernel as sent: it rejects unknown quota
 * names (a misspelt quota must not silently fall back to its default), so the
 * schema here does not strip them.
 */
const SetBody = Type.Object(
  { quotas: Type.Unsafe<JsonObject>({ $ref: QuotasView.$id }) },
  { additionalProperties: false },
);
type SetBody = Static<typeof SetBody>;

const QuotasSet = Type.Object({ principal: Type.String() });

/** Per-principal quotas and usage (self-scoped when the target is the caller). */
export function register(app: FastifyInstance, ctx: GatewayContext): void {
  ensureAdminViews(app);

  app.get<{ Params: Params }>(
    '/api/sys/principals/:id/quotas',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: "Read a principal's quotas (self:quota:get for yourself, quota:get for others)",
        params: Params,
        response: { 200: viewRef(QuotasAnswer), ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const body = await adminFor(ctx, request.principal, 'QuotaGet', {
        principal: request.params.id,
      });
      return answerAs(body, 'Quotas', QuotasAnswer);
    },
  );

  app.put<{ Params: Params; Body: SetBody }>(
    '/api/sys/principals/:id/quotas',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary:
          "Replace a principal's quotas; omitted fields take defaults (self:quota:set / quota:set)",
        params: Params,
        body: SetBody,
        response: { 200: QuotasSet, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const body = await adminFor(ctx, request.principal, 'QuotaSet', {
        principal: request.params.id,
        quotas: request.body.quotas,
      });
      return answerAs(body, 'Success', QuotasSet);
    },
  );

  app.get<{ Params: Params }>(
    '/api/sys/principals/:id/usage',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: "Read a principal's resource usage (self:quota:get / quota:get)",
        params: Params,
        response: { 200: viewRef(ResourceUsageView), ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const body = await adminFor(ctx, request.principal, 'UsageGet', {
        principal: request.params.id,
      });
      return answerAs(body, 'Usage', ResourceUsageView);
    },
  );
}
