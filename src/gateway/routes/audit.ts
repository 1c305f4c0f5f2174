import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AUDIT_TOPIC } from '../../events/audit-topic.js';
import { guestJsonValue } from '../../events/ipc-payload.js';
import { callerProfile } from '../access/caller-profile.js';
import { kernelFor } from '../access/kernel-call.js';
import { decideAuditAccess } from '../audit/audit-access.js';
import { auditQueryParams } from '../audit/audit-query-string.js';
import type { GatewayContext } from '../gateway-context.js';
import { badRequest, errorResponses, forbidden } from '../http-errors.js';
import { followTopics } from '../sse/bus-follower.js';
import { OpenStreams } from '../sse/sse-stream.js';
import { sseTimings } from '../sse/sse-timings.js';

const TAG = 'audit';

/** A firehose reader sees every principal's rows; give its queues room. */
const FIREHOSE_QUEUE_MESSAGES = 4096;

const AuditEntryView = Type.Object(
  {
    ts_epoch: Type.Integer({ description: 'Unix seconds.' }),
    method: Type.String({ description: '`admin.agent.delete`, `GetStatus`, …' }),
    required_capability: Type.String(),
    principal: Type.Union([Type.String(), Type.Null()]),
    target_principal: Type.Union([Type.String(), Type.Null()]),
    params: Type.Unknown({ description: 'The request parameters (secrets redacted), or null.' }),
    outcome: Type.Union([Type.Literal('success'), Type.Literal('failure')]),
  },
  { title: 'AuditEntry' },
);

const AuditPage = Type.Object({
  entries: Type.Array(AuditEntryView, { description: 'Newest first.' }),
  next_cursor: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as `cursor` for the next page; null on the last page.',
  }),
  principal: Type.Union([Type.String(), Type.Null()], {
    description:
      'The principal filter actually applied: always the caller unless it holds audit:read_all.',
  }),
  firehose: Type.Boolean({
    description: 'Whether the caller reads every principal (audit:read_all).',
  }),
});

const Query = Type.Object(
  {
    since: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Inclusive lower bound (unix seconds).' }),
    ),
    until: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Inclusive upper bound (unix seconds).' }),
    ),
    method: Type.Optional(
      Type.String({ description: 'Exact audit method, e.g. `admin.invite.issue` or `GetStatus`.' }),
    ),
    principal: Type.Optional(
      Type.String({ description: 'Only this principal (honoured with audit:read_all).' }),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'Page size, default 100 (0 = default), at most 1000.',
      }),
    ),
    cursor: Type.Optional(Type.String({ description: "A previous page's `next_cursor`." })),
  },
  { additionalProperties: false },
);
type Query = Static<typeof Query>;

const EventStream = {
  description:
    'Server-sent events: `ready` `{principal, firehose}`, then one `audit` event per audited request (the row, as in /api/sys/audit). A `: keep-alive` comment line every 15 s.',
  content: { 'text/event-stream': { schema: Type.String() } },
};

/** Audit history (through the kernel's AuditQuery) and the live audit feed (spec §1.9, §1.10). */
export function register(app: FastifyInstance, ctx: GatewayContext): void {
  const streams = new OpenStreams(app);

  app.get<{ Querystring: Query }>(
    '/api/sys/audit',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary:
          'Page through audited requests, newest first (self:audit:read; all principals with audit:read_all)',
        querystring: Query,
        response: { 200: AuditPage, ...errorResponses(400, 401, 403, 500) },
      },
    },
    async (request) => {
      const params = auditQueryParams(request.query);
      if (!params.ok) throw badRequest(params.error.message);
      return kernelFor(ctx, request.principal, 'AuditQuery', params.value, {
        status: 'Success',
        schema: AuditPage,
      });
    },
  );

  app.get(
    '/api/events',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'Live audit feed (SSE): your own rows, or every row with audit:read_all',
        response: { 200: EventStream, ...errorResponses(401, 403, 500) },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const access = decideAuditAccess(
        principal,
        callerProfile(ctx.state, principal, ctx.logger),
        ctx.state.groups.current(),
      );
      if (!access.allowed) throw forbidden(access.reason);
      const stream = streams.create(sseTimings(ctx).keepAliveMs);
      // Subscribe before answering so nothing audited after `ready` is missed.
      const release = followTopics(
        ctx.bus,
        {
          topics: [AUDIT_TOPIC],
          label: 'gateway::audit_sse',
          // Fail closed: without the firehose the route only ever carries the caller's rows.
          ...(access.firehose
            ? { maxQueueMessages: FIREHOSE_QUEUE_MESSAGES }
            : { scope: principal }),
        },
        (message) => {
          if (!access.firehose && message.principal !== principal) return;
          stream.send('audit', guestJsonValue(message.payload));
        },
        (failure) => {
          if (failure !== undefined)
            ctx.logger.error({ err: String(failure) }, 'audit event stream failed');
          stream.end();
        },
      );
      stream.onClose(release);
      stream.send('ready', { principal, firehose: access.firehose });
      return stream.open(reply);
    },
  );
}
