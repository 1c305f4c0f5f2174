import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../gateway-context.js';

/** A file of routes: declares them (TypeBox schemas, tags, summary, auth) on the app. */
export interface GatewayRouteModule {
  register(app: FastifyInstance, ctx: GatewayContext): void;
}
