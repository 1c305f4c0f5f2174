import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { JsonObject } from '../../events/json.js';
import { adminFor, answerAs, ensureAdminViews } from '../admin/admin-call.js';
import {
  GroupNameSchema,
  InviteIssuedView,
  InviteSummaryView,
  viewRef,
} from '../admin/admin-views.js';
import type { GatewayContext } from '../gateway-context.js';
import { errorResponses } from '../http-errors.js';

const TAG = 'invites';

const IssueBody = Type.Object(
  {
    group: GroupNameSchema,
    max_uses: Type.Integer({ minimum: 1, maximum: 0xffff_ffff }),
    expires_secs: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 2_592_000,
        description: 'Lifetime in seconds (at most 30 days); omit for no expiry.',
      }),
    ),
    metadata: Type.Optional(
      Type.Unsafe<JsonObject>({
        type: 'object',
        description: 'Free-form JSON stored with the invite.',
      }),
    ),
  },
  { additionalProperties: false },
);
type IssueBody = Static<typeof IssueBody>;

const Issued = Type.Object({ invite: viewRef(InviteIssuedView) }, { title: 'InviteIssueResponse' });

const InviteListResponse = Type.Object(
  { invites: Type.Array(viewRef(InviteSummaryView)) },
  { title: 'InviteListResponse' },
);

const RevokeParams = Type.Object({
  fingerprint: Type.String({
    minLength: 1,
    maxLength: 256,
    description: 'The raw invite token or its 64-hex SHA-256 fingerprint.',
  }),
});
type RevokeParams = Static<typeof RevokeParams>;

/** Invites: issue, list (fingerprints only), revoke. */
export function register(app: FastifyInstance, ctx: GatewayContext): void {
  ensureAdminViews(app);

  app.post<{ Body: IssueBody }>(
    '/api/sys/invites',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'Issue an invite into a group; the token is shown only here (invite:issue)',
        body: IssueBody,
        response: { 200: Issued, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const { group, max_uses, expires_secs, metadata } = request.body;
      const body = await adminFor(ctx, request.principal, 'InviteIssue', {
        group,
        max_uses,
        ...(expires_secs === undefined ? {} : { expires_secs }),
        ...(metadata === undefined ? {} : { metadata }),
      });
      return { invite: answerAs(body, 'Invite', InviteIssuedView) };
    },
  );

  app.get(
    '/api/sys/invites',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'List live invites by fingerprint (invite:list)',
        response: { 200: InviteListResponse, ...errorResponses(401, 403, 500) },
      },
    },
    async (request) => {
      const body = await adminFor(ctx, request.principal, 'InviteList');
      return { invites: answerAs(body, 'InviteList', Type.Array(InviteSummaryView)) };
    },
  );

  app.delete<{ Params: RevokeParams }>(
    '/api/sys/invites/:fingerprint',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'Revoke an invite by raw token or fingerprint (invite:revoke)',
        params: RevokeParams,
        response: {
          204: Type.Null({ description: 'Revoked.' }),
          ...errorResponses(400, 401, 403, 404, 500),
        },
      },
    },
    async (request, reply) => {
      await adminFor(ctx, request.principal, 'InviteRevoke', {
        token: request.params.fingerprint,
      });
      return reply.code(204).send();
    },
  );
}
