import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_PRINCIPAL } from '../../core/ids/principal-id.js';
import { adminFor, answerAs } from '../admin/admin-call.js';
import { PrincipalIdSchema } from '../admin/admin-views.js';
import type { GatewayContext } from '../gateway-context.js';
import { errorResponses } from '../http-errors.js';

const TAG = 'caps';

const Params = Type.Object({ id: PrincipalIdSchema });
type Params = Static<typeof Params>;

const Capabilities = Type.Array(Type.String(), {
  minItems: 1,
  description: 'Capability strings, e.g. `system:status` or `self:capsule:*`.',
});

const GrantBody = Type.Object(
  {
    capabilities: Capabilities,
    unsafe_admin: Type.Optional(
      Type.Boolean({ description: 'Required (true) to grant the universal `*`.' }),
    ),
  },
  { additionalProperties: false },
);
type GrantBody = Static<typeof GrantBody>;

const RevokeBody = Type.Object({ capabilities: Capabilities }, { additionalProperties: false });
type RevokeBody = Static<typeof RevokeBody>;

const Granted = Type.Object({
  principal: Type.String(),
  capabilities: Type.Array(Type.String()),
});

/** Direct capability grants and revokes on a principal. */
export function register(app: FastifyInstance, ctx: GatewayContext): void {
  app.post<{ Params: Params; Body: GrantBody }>(
    '/api/sys/principals/:id/caps',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'Grant capabilities to a principal (caps:grant; `*` also needs unsafe_admin)',
        params: Params,
        body: GrantBody,
        response: { 200: Granted, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const body = await adminFor(ctx, request.principal, 'CapsGrant', {
        principal: request.params.id,
        capabilities: request.body.capabilities,
        unsafe_admin: request.body.unsafe_admin ?? false,
      });
      return answerAs(body, 'Success', Granted);
    },
  );

  app.delete<{ Params: Params; Body: RevokeBody }>(
    '/api/sys/principals/:id/caps',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'Revoke capabilities from a principal (caps:revoke)',
        params: Params,
        body: RevokeBody,
        response: {
          204: Type.Null({ description: 'Revoked.' }),
          ...errorResponses(400, 401, 403, 404, 500),
        },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      await adminFor(
        ctx,
        request.principal,
        'CapsRevoke',
        { principal: id, capabilities: request.body.capabilities },
        { protectedTarget: id === DEFAULT_PRINCIPAL },
      );
      return reply.code(204).send();
    },
  );
}
