import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { isBuiltinGroup } from '../../core/groups/group.js';
import { adminFor, answerAs, ensureAdminViews } from '../admin/admin-call.js';
import { GroupNameSchema, GroupSummaryView, viewRef } from '../admin/admin-views.js';
import {
  GroupListAnswer,
  type GroupPatch,
  groupModifyParams,
  groupSummaries,
} from '../admin/group-wire.js';
import type { GatewayContext } from '../gateway-context.js';
import { errorResponses, fromKernelError } from '../http-errors.js';

const TAG = 'groups';

const Params = Type.Object({ name: GroupNameSchema });
type Params = Static<typeof Params>;

const GroupListResponse = Type.Object(
  { groups: Type.Array(viewRef(GroupSummaryView)) },
  { title: 'GroupListResponse' },
);

const CreateBody = Type.Object(
  {
    name: GroupNameSchema,
    capabilities: Type.Array(Type.String()),
    description: Type.Optional(Type.String()),
    unsafe_admin: Type.Optional(
      Type.Boolean({ description: 'Required (true) for a group holding the universal `*`.' }),
    ),
  },
  { additionalProperties: false },
);
type CreateBody = Static<typeof CreateBody>;

/**
 * `type: ['string', 'null']` rather than a union, so the validator's type
 * coercion can never turn an explicit `null` (clear) into `""`.
 */
const NullableDescription = Type.Unsafe<string | null>({
  type: ['string', 'null'],
  description: 'New description; `null` clears it; omit to keep it.',
});

const PatchBody = Type.Object(
  {
    capabilities: Type.Optional(Type.Array(Type.String())),
    description: Type.Optional(NullableDescription),
    unsafe_admin: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const Ok = Type.Object({ status: Type.Literal('ok') });

/** Capability groups: list, create, modify, delete (built-ins are read-only). */
export function register(app: FastifyInstance, ctx: GatewayContext): void {
  ensureAdminViews(app);

  app.get(
    '/api/sys/groups',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'List capability groups, built-in and custom (self:group:list)',
        response: { 200: GroupListResponse, ...errorResponses(401, 403, 500) },
      },
    },
    async (request) => {
      const body = await adminFor(ctx, request.principal, 'GroupList');
      return { groups: groupSummaries(answerAs(body, 'GroupList', GroupListAnswer)) };
    },
  );

  app.post<{ Body: CreateBody }>(
    '/api/sys/groups',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'Create a custom group (group:create)',
        body: CreateBody,
        response: { 200: Ok, ...errorResponses(400, 401, 403, 409, 500) },
      },
    },
    async (request) => {
      const { name, capabilities, description, unsafe_admin } = request.body;
      const body = await adminFor(ctx, request.principal, 'GroupCreate', {
        name,
        capabilities,
        ...(description === undefined ? {} : { description }),
        unsafe_admin: unsafe_admin ?? false,
      });
      return answerAs(body, 'Success', Ok);
    },
  );

  app.patch<{ Params: Params; Body: GroupPatch }>(
    '/api/sys/groups/:name',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'Modify a custom group; omitted fields keep their value (group:modify)',
        params: Params,
        body: PatchBody,
        response: { 200: Ok, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const name = request.params.name;
      let params: ReturnType<typeof groupModifyParams>;
      try {
        params = groupModifyParams(name, request.body);
      } catch (e) {
        throw fromKernelError(e);
      }
      const body = await adminFor(ctx, request.principal, 'GroupModify', params, {
        protectedTarget: isBuiltinGroup(name),
      });
      return answerAs(body, 'Success', Ok);
    },
  );

  app.delete<{ Params: Params }>(
    '/api/sys/groups/:name',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'Delete a custom group (group:delete)',
        params: Params,
        response: {
          204: Type.Null({ description: 'Deleted.' }),
          ...errorResponses(400, 401, 403, 404, 500),
        },
      },
    },
    async (request, reply) => {
      const name = request.params.name;
      await adminFor(
        ctx,
        request.principal,
        'GroupDelete',
        { name },
        { protectedTarget: isBuiltinGroup(name) },
      );
      return reply.code(204).send();
    },
  );
}
