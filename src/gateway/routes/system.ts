import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { kernelFor } from '../access/kernel-call.js';
import type { GatewayContext } from '../gateway-context.js';
import { errorResponses } from '../http-errors.js';

const TAG = 'system';

/** Reloading restarts every capsule; the kernel answers when they are back. */
const RELOAD_TIMEOUT_MS = 60_000;

const DaemonStatusView = Type.Object(
  {
    pid: Type.Integer(),
    uptime_secs: Type.Integer({ minimum: 0 }),
    version: Type.String(),
    ephemeral: Type.Boolean(),
    connected_clients: Type.Integer({ minimum: 0 }),
    connections_by_principal: Type.Optional(
      Type.Array(Type.Object({ principal: Type.String(), count: Type.Integer({ minimum: 0 }) }), {
        description: 'Omitted when nobody is connected.',
      }),
    ),
    loaded_capsules: Type.Array(Type.String()),
  },
  { title: 'DaemonStatus' },
);

const ReloadAnswer = Type.Object({ status: Type.String() }, { additionalProperties: true });

/** Daemon status and capsule reload, through the kernel acting for the caller (spec §1.7). */
export function register(app: FastifyInstance, ctx: GatewayContext): void {
  app.get(
    '/api/sys/status',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'Daemon status (system:status)',
        response: { 200: DaemonStatusView, ...errorResponses(401, 403, 500) },
      },
    },
    async (request) =>
      kernelFor(ctx, request.principal, 'GetStatus', undefined, {
        status: 'Status',
        schema: DaemonStatusView,
      }),
  );

  app.post(
    '/api/sys/capsules/reload',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'Reload every capsule (self:capsule:reload, 5/min across all callers)',
        response: {
          204: Type.Null({ description: 'Reloaded.' }),
          ...errorResponses(401, 403, 429, 500),
        },
      },
    },
    async (request, reply) => {
      await kernelFor(
        ctx,
        request.principal,
        'ReloadCapsules',
        undefined,
        { status: 'Success', schema: ReloadAnswer },
        { timeoutMs: RELOAD_TIMEOUT_MS },
      );
      return reply.code(204).send();
    },
  );
}
