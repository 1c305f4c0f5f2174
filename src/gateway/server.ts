import { readFile } from 'node:fs/promises';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyInstance as App,
  type FastifyReply,
  type FastifyRequest,
  type HookHandlerDoneFunction,
  type RouteOptions,
} from 'fastify';
import type { PrincipalId } from '../core/ids/principal-id.js';
import { type BearerClaims, bearerFromHeader } from './auth/bearer-codec.js';
import { RevocationWatcher } from './auth/revocation-watcher.js';
import type { GatewayContext } from './gateway-context.js';
import { BODY_LIMIT_BYTES, parseJsonBody } from './http/body-parser.js';
import { corsDecision } from './http/cors.js';
import { toHttpError } from './http/error-reply.js';
import { allowedMethods, type RouteEntry } from './http/route-match.js';
import { defaultHeaders } from './http/security-headers.js';
import { ERROR_BODY_ID, ErrorBody, unauthorized } from './http-errors.js';
import { UNMATCHED_ROUTE } from './metrics.js';
import { DOCS_PREFIX, openApiDocument } from './openapi.js';
import { type GatewayRouteModule, ROUTE_MODULES } from './routes/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The bearer check: `preHandler: app.authenticate` on every non-public
     * route. Verifies signature, expiry, principal syntax and revocation, then
     * sets `request.principal`; any failure is a bare 401.
     */
    authenticate: (
      request: FastifyRequest,
      reply: FastifyReply,
      done: HookHandlerDoneFunction,
    ) => void;
  }
  interface FastifyInstance {
    /** Every route registered on the gateway, in order (for the 405 check and the OpenAPI drift test). */
    readonly gatewayRoutes: readonly RegisteredRoute[];
  }
  interface FastifyRequest {
    /** The caller, from the verified bearer (empty on public routes). */
    principal: PrincipalId;
    /** The verified bearer's claims (null on public routes). */
    session: BearerClaims | null;
  }
  interface FastifyContextConfig {
    /** Reachable without a bearer. Every other route must use `preHandler: app.authenticate`. */
    public?: boolean;
  }
}

/** One registered route as the gateway saw it. */
export interface RegisteredRoute extends RouteEntry {
  readonly public: boolean;
  /** Docs-page plumbing, hidden from the OpenAPI document. */
  readonly hidden: boolean;
  readonly schema: RouteOptions['schema'];
}

export interface BuildOptions {
  /** Route modules served in addition to `ROUTE_MODULES` (tests). */
  readonly extraModules?: readonly GatewayRouteModule[];
}

/** Shared copy of ErrorBody that `Type.Ref('ErrorBody')` resolves to (a named OpenAPI component). */
const SHARED_SCHEMAS = [{ ...ErrorBody, $id: ERROR_BODY_ID }];

function hasAuthenticate(
  preHandler: RouteOptions['preHandler'],
  authenticate: App['authenticate'],
): boolean {
  const list: unknown[] = Array.isArray(preHandler) ? preHandler : [preHandler];
  return list.includes(authenticate);
}

/**
 * The gateway's Fastify app: security headers (plus HSTS on TLS) on every
 * response, CORS for the allow-list, metrics and one log line per request,
 * JSON errors, bearer authentication, 404/405 for unknown paths and methods,
 * the OpenAPI document and docs page, and every route module of
 * `routes/index.ts`. Owns the revocation watcher (started here, so plain and
 * TLS servers alike honour deletions) and stops it on close. Returned ready;
 * the caller listens.
 */
export async function buildGatewayApp(
  ctx: GatewayContext,
  options: BuildOptions = {},
): Promise<App> {
  const tls = ctx.config.tls;
  const fastifyOptions = {
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    exposeHeadRoutes: false,
    return503OnClosing: true,
    // Ids may be 128 characters (§1.11); longer ones get our 400, not a 414.
    routerOptions: { maxParamLength: 256 },
    // Unknown body fields are refused (400), never silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  } as const;
  const app = (tls === null
    ? Fastify(fastifyOptions)
    : Fastify({
        ...fastifyOptions,
        https: { cert: await readFile(tls.certPath), key: await readFile(tls.keyPath) },
      })) as unknown as App;
  const logger = ctx.logger.child({ component: 'gateway' });
  const headers = defaultHeaders(tls !== null);
  const cors = new Set(ctx.config.corsAllowOrigins);
  const routes: RegisteredRoute[] = [];
  const watcher = new RevocationWatcher(ctx.bus, ctx.revocations, logger, ctx.now);
  app.addHook('onClose', async () => {
    await watcher.stop();
    await ctx.revocations.flush();
  });

  const authenticate = (
    request: FastifyRequest,
    _reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void => {
    const token = bearerFromHeader(request.headers.authorization);
    const claims = token === null ? null : ctx.tokens.verify(token);
    // Deletions the kernel has already answered must be in force now, not after the watcher's next tick.
    watcher.sync();
    if (claims === null || ctx.revocations.isRevoked(claims.principal, claims.iat)) {
      ctx.metrics.authFailure();
      done(unauthorized());
      return;
    }
    request.principal = claims.principal;
    request.session = claims;
    done();
  };
  app.decorate('authenticate', authenticate);
  app.decorate('gatewayRoutes', routes);
  app.decorateRequest('principal', '' as PrincipalId);
  app.decorateRequest('session', null);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  // Fail closed: a route that forgot both `config.public` and the bearer check refuses to register.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const docs = route.url.startsWith(DOCS_PREFIX);
    const isPublic = docs || route.config?.public === true;
    if (!isPublic && !hasAuthenticate(route.preHandler, authenticate))
      throw new Error(
        `gateway route ${methods.join(',')} ${route.url} must be public (config.public) or authenticated (preHandler: app.authenticate)`,
      );
    // Authenticate before validating: a request without a valid bearer is
    // 401 whatever its body, and learns nothing about the schema.
    if (!isPublic) {
      const handlers = Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
      const rest = handlers.filter(
        (h): h is NonNullable<(typeof handlers)[number]> => h !== undefined && h !== authenticate,
      );
      route.preHandler = rest.length === 0 ? undefined : rest;
      const early = route.onRequest === undefined ? [] : ([] as unknown[]).concat(route.onRequest);
      route.onRequest = [authenticate, ...early] as RouteOptions['onRequest'];
    }
    if (docs) route.config = { ...route.config, public: true };
    else if (isPublic) route.schema = { ...route.schema, security: [{}] };
    const hidden = docs || (route.schema as { hide?: boolean } | undefined)?.hide === true;
    for (const method of methods)
      routes.push({ method, url: route.url, public: isPublic, hidden, schema: route.schema });
  });

  app.addHook('onRequest', (request, reply, done) => {
    const raw = reply.raw;
    for (const [name, value] of headers) raw.setHeader(name, value);
    const started = performance.now();
    raw.once('close', () => {
      const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
      const status = raw.statusCode;
      const ms = performance.now() - started;
      ctx.metrics.observeRequest(request.method, route, status, ms / 1000);
      const line = {
        method: request.method,
        route,
        status,
        duration_ms: Math.round(ms * 100) / 100,
      };
      if (route === '/healthz' || route === '/metrics') logger.debug(line, 'http request');
      else logger.info(line, 'http request');
    });
    const origin = request.headers.origin;
    const requestMethod = request.headers['access-control-request-method'];
    const decision = corsDecision(cors, {
      method: request.method,
      origin: typeof origin === 'string' ? origin : undefined,
      requestMethod: typeof requestMethod === 'string' ? requestMethod : undefined,
    });
    if (decision !== null) {
      for (const [name, value] of decision.headers) raw.setHeader(name, value);
      if (decision.preflight) {
        reply.code(200).send();
        return;
      }
    }
    done();
  });

  app.setErrorHandler((error, request, reply) => {
    const http = toHttpError(error);
    if (http.status >= 500)
      logger.error(
        {
          method: request.method,
          route: request.routeOptions.url ?? UNMATCHED_ROUTE,
          err: error instanceof Error ? error.message : String(error),
          cause:
            http.cause instanceof Error ? (http.cause.stack ?? http.cause.message) : http.cause,
        },
        'gateway request failed',
      );
    if (reply.sent || reply.raw.headersSent) return;
    reply.code(http.status).type('application/json; charset=utf-8').send(http.body());
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0] as string;
    const allow = allowedMethods(routes, path);
    if (allow.length > 0)
      reply.code(405).header('Allow', allow.join(', ')).send({ error: 'method_not_allowed' });
    else reply.code(404).send({ error: 'not_found' });
  });

  try {
    await registerDocsAndRoutes(app, ctx, options);
  } catch (e) {
    await watcher.stop();
    throw e;
  }
  return app;
}

async function registerDocsAndRoutes(
  app: App,
  ctx: GatewayContext,
  options: BuildOptions,
): Promise<void> {
  await app.register(swagger, {
    openapi: openApiDocument(),
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  });
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    staticCSP: true,
    // The page may run its own bundled scripts, but is never framed, and must work over plain-HTTP loopback.
    transformStaticCSP: (header) =>
      header
        .replace(/\s*upgrade-insecure-requests;/, '')
        .replace("frame-ancestors 'self'", "frame-ancestors 'none'"),
  });

  for (const module of [...ROUTE_MODULES, ...(options.extraModules ?? [])])
    module.register(app, ctx);
  await app.ready();
}
