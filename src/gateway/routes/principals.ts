import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { checkPrincipalId, DEFAULT_PRINCIPAL } from '../../core/ids/principal-id.js';
import { adminFor, answerAs, ensureAdminViews } from '../admin/admin-call.js';
import { AgentSummaryView, PrincipalIdSchema, viewRef } from '../admin/admin-views.js';
import type { GatewayContext } from '../gateway-context.js';
import { badRequest, errorResponses, notFound } from '../http-errors.js';

const TAG = 'principals';

export const PrincipalParams = Type.Object({ id: PrincipalIdSchema });
type PrincipalParams = Static<typeof PrincipalParams>;

const PrincipalListResponse = Type.Object(
  { principals: Type.Array(viewRef(AgentSummaryView)) },
  { title: 'PrincipalListResponse' },
);

const CreateBody = Type.Object(
  {
    name: Type.String({ description: 'The new principal id.' }),
    groups: Type.Optional(
      Type.Array(Type.String(), { description: 'Groups to join; default `["agent"]`.' }),
    ),
    grants: Type.Optional(
      Type.Array(Type.String(), { description: 'Direct grants (never `*`; use the caps route).' }),
    ),
  },
  { additionalProperties: false },
);
type CreateBody = Static<typeof CreateBody>;

const Created = Type.Object({ principal: Type.String(), astrid_user_id: Type.String() });

const ModifyBody = Type.Object(
  {
    add_groups: Type.Optional(Type.Array(Type.String())),
    remove_groups: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);
type ModifyBody = Static<typeof ModifyBody>;

const Modified = Type.Object({
  principal: Type.String(),
  groups: Type.Array(Type.String()),
  changed: Type.Boolean(),
});

const Toggled = Type.Object({
  principal: Type.String(),
  enabled: Type.Boolean(),
  changed: Type.Boolean(),
});

/** Principal lifecycle: list, create, show, modify groups, delete, enable, disable. */
export function register(app: FastifyInstance, ctx: GatewayContext): void {
  ensureAdminViews(app);

  app.get(
    '/api/sys/principals',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'List principals (only your own row unless you hold agent:list)',
        response: { 200: PrincipalListResponse, ...errorResponses(401, 403, 500) },
      },
    },
    async (request) => {
      const body = await adminFor(ctx, request.principal, 'AgentList');
      return { principals: answerAs(body, 'AgentList', Type.Array(AgentSummaryView)) };
    },
  );

  app.post<{ Body: CreateBody }>(
    '/api/sys/principals',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'Create a principal (agent:create)',
        body: CreateBody,
        response: { 200: Created, ...errorResponses(400, 401, 403, 409, 500) },
      },
    },
    async (request) => {
      const { name, groups, grants } = request.body;
      const body = await adminFor(ctx, request.principal, 'AgentCreate', {
        name,
        ...(groups === undefined ? {} : { groups }),
        ...(grants === undefined ? {} : { grants }),
      });
      return answerAs(body, 'Success', Created);
    },
  );

  app.get<{ Params: PrincipalParams }>(
    '/api/sys/principals/:id',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'Show one principal you can see (self:agent:list)',
        params: PrincipalParams,
        response: { 200: viewRef(AgentSummaryView), ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const id = checkPrincipalId(request.params.id);
      if (!id.ok) throw badRequest(id.error.message);
      const body = await adminFor(ctx, request.principal, 'AgentList');
      const row = answerAs(body, 'AgentList', Type.Array(AgentSummaryView)).find(
        (r) => r.principal === id.value,
      );
      if (row === undefined) throw notFound();
      return row;
    },
  );

  app.patch<{ Params: PrincipalParams; Body: ModifyBody }>(
    '/api/sys/principals/:id',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: "Change a principal's groups (agent:modify)",
        params: PrincipalParams,
        body: ModifyBody,
        response: { 200: Modified, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const body = await adminFor(ctx, request.principal, 'AgentModify', {
        principal: request.params.id,
        add_groups: request.body.add_groups ?? [],
        remove_groups: request.body.remove_groups ?? [],
      });
      return answerAs(body, 'Success', Modified);
    },
  );

  app.delete<{ Params: PrincipalParams }>(
    '/api/sys/principals/:id',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'Delete a principal; its live bearers stop working (agent:delete)',
        params: PrincipalParams,
        response: {
          204: Type.Null({ description: 'Deleted.' }),
          ...errorResponses(400, 401, 403, 404, 500),
        },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      await adminFor(
        ctx,
        request.principal,
        'AgentDelete',
        { principal: id },
        { protectedTarget: id === DEFAULT_PRINCIPAL },
      );
      return reply.code(204).send();
    },
  );

  for (const enabled of [true, false]) {
    const action = enabled ? 'enable' : 'disable';
    app.post<{ Params: PrincipalParams }>(
      `/api/sys/principals/:id/${action}`,
      {
        preHandler: app.authenticate,
        schema: {
          tags: [TAG],
          summary: enabled
            ? 'Enable a principal (agent:enable)'
            : 'Disable a principal; its requests are refused until enabled (agent:disable)',
          params: PrincipalParams,
          response: { 200: Toggled, ...errorResponses(400, 401, 403, 404, 500) },
        },
      },
      async (request) => {
        const id = request.params.id;
        const body = await adminFor(
          ctx,
          request.principal,
          enabled ? 'AgentEnable' : 'AgentDisable',
          { principal: id },
          { protectedTarget: !enabled && id === DEFAULT_PRINCIPAL },
        );
        return answerAs(body, 'Success', Toggled);
      },
    );
  }
}
