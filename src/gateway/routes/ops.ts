import { existsSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { runFiles } from '../../kernel/run-files.js';
import type { GatewayContext } from '../gateway-context.js';

const text = (description: string) => ({
  description,
  content: { 'text/plain': { schema: Type.String() } },
});

const OpenApiDocument = Type.Object(
  {
    openapi: Type.String(),
    info: Type.Object(
      { title: Type.String(), version: Type.String() },
      { additionalProperties: true },
    ),
    paths: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: true, description: 'This OpenAPI 3.1 document.' },
);

/** `/healthz`, `/metrics`, `/api/openapi.json`: public operational routes (spec §1.12, §1.13). */
export function register(app: FastifyInstance, ctx: GatewayContext): void {
  const socket = runFiles(ctx.home).socket;

  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: ['ops'],
        summary: 'Liveness: is the daemon socket present?',
        description: '200 `ok\\n` while `run/system.sock` exists, else 503. No IPC round trip.',
        response: {
          200: text('The daemon socket exists.'),
          503: text('The daemon socket is missing.'),
        },
      },
    },
    (_request, reply) => {
      reply.type('text/plain; charset=utf-8');
      if (existsSync(socket)) return reply.code(200).send('ok\n');
      return reply.code(503).send('daemon socket unreachable\n');
    },
  );

  app.get(
    '/metrics',
    {
      config: { public: true },
      schema: {
        tags: ['ops'],
        summary: 'Prometheus metrics (gateway, bus, daemon, process).',
        response: { 200: text('Prometheus text exposition format 0.0.4.') },
      },
    },
    async (_request, reply) => {
      const body = await ctx.metrics.render();
      return reply.code(200).type(ctx.metrics.contentType).send(body);
    },
  );

  app.get(
    '/api/openapi.json',
    {
      config: { public: true },
      schema: {
        tags: ['ops'],
        summary: 'This API, as an OpenAPI 3.1 document.',
        response: { 200: OpenApiDocument },
      },
    },
    () => app.swagger(),
  );
}
