import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { admitRedeem } from '../../src/gateway/auth/redeem-gate.js';
import type { GatewayContext } from '../../src/gateway/gateway-context.js';
import { errorResponses } from '../../src/gateway/http-errors.js';
import type { GatewayRouteModule } from '../../src/gateway/routes/index.js';

/** Test-only routes that exercise the foundation (auth, body parsing, errors, redeem gate). */
export const probeRoutes: GatewayRouteModule = {
  register(app: FastifyInstance, ctx: GatewayContext) {
    app.get(
      '/test/whoami',
      {
        preHandler: app.authenticate,
        schema: {
          tags: ['system'],
          response: {
            200: Type.Object({ principal: Type.String(), iat: Type.Integer() }),
            ...errorResponses(401),
          },
        },
      },
      (request) => ({ principal: request.principal, iat: request.session?.iat ?? -1 }),
    );
    app.post(
      '/test/echo',
      {
        preHandler: app.authenticate,
        schema: {
          tags: ['system'],
          body: Type.Object({ name: Type.String({ minLength: 1 }) }),
          response: { 200: Type.Object({ name: Type.String() }), ...errorResponses(400, 401) },
        },
      },
      (request) => ({ name: (request.body as { name: string }).name }),
    );
    app.get('/test/crash', { config: { public: true }, schema: { tags: ['system'] } }, () => {
      throw new Error('secret database detail');
    });
    app.post(
      '/test/redeem',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          response: { 200: Type.Object({ ok: Type.Boolean() }), ...errorResponses(429) },
        },
      },
      (request) => {
        admitRedeem(request, ctx);
        return { ok: true };
      },
    );
  },
};
