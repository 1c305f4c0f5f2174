import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  checkPrincipalId,
  DEFAULT_PRINCIPAL,
  type PrincipalId,
} from '../../core/ids/principal-id.js';
import { adminFor, answerAs } from '../admin/admin-call.js';
import { admitRedeem } from '../auth/redeem-gate.js';
import type { GatewayContext } from '../gateway-context.js';
import { errorResponses, internal } from '../http-errors.js';

const TAG = 'auth';

const PublicKey = Type.String({
  minLength: 1,
  maxLength: 256,
  description: 'ed25519 public key: 64 hex characters, optionally prefixed `ed25519:`.',
});
const OneTimeToken = Type.String({ minLength: 1, maxLength: 256 });
const Fingerprint = Type.String({
  description: 'Lowercase hex SHA-256 of `ed25519:<lowercase hex key>`.',
});
const SessionToken = Type.String({ description: 'The bearer for `Authorization: Bearer …`.' });
const SessionExpiry = Type.Integer({ description: 'When the bearer expires (unix seconds).' });

const RedeemBody = Type.Object(
  {
    token: OneTimeToken,
    public_key: PublicKey,
    display_name: Type.Optional(
      Type.String({
        maxLength: 256,
        description: 'Slugged into the principal id when free (`Operator 1!` → `operator-1`).',
      }),
    ),
  },
  { additionalProperties: false },
);
type RedeemBody = Static<typeof RedeemBody>;

const InviteRedeemed = Type.Object({
  principal: Type.String(),
  group: Type.String(),
  public_key_fingerprint: Type.String(),
});

const RedeemResponse = Type.Object(
  {
    principal: Type.String(),
    group: Type.String(),
    public_key_fingerprint: Fingerprint,
    session_token: SessionToken,
    session_expires_at_epoch: SessionExpiry,
  },
  { title: 'RedeemResponse' },
);

const PairRedeemBody = Type.Object(
  { token: OneTimeToken, public_key: PublicKey },
  { additionalProperties: false },
);
type PairRedeemBody = Static<typeof PairRedeemBody>;

const PairRedeemed = Type.Object({
  principal: Type.String(),
  public_key_fingerprint: Type.String(),
});

const PairRedeemResponse = Type.Object(
  {
    principal: Type.String(),
    public_key_fingerprint: Fingerprint,
    session_token: SessionToken,
    session_expires_at_epoch: SessionExpiry,
  },
  { title: 'PairRedeemResponse' },
);

const MeResponse = Type.Object({
  principal: Type.String(),
  expires_at_epoch: Type.Integer({ description: 'When the presented bearer expires.' }),
});

const RefreshResponse = Type.Object({
  principal: Type.String(),
  session_token: SessionToken,
  session_expires_at_epoch: SessionExpiry,
});

const PairIssueBody = Type.Object(
  {
    expires_secs: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 3600,
        description: 'Token lifetime in seconds (default 300).',
      }),
    ),
    label: Type.Optional(Type.String({ maxLength: 256, description: 'A name for the device.' })),
  },
  { additionalProperties: false },
);
type PairIssueBody = Static<typeof PairIssueBody>;

const PairToken = Type.Object(
  {
    token: Type.String({ description: 'Single-use pairing token; shown only here.' }),
    principal: Type.String(),
    expires_at_epoch: Type.Integer(),
    label: Type.Optional(Type.String()),
  },
  { title: 'PairTokenResponse' },
);

/** The principal a kernel answer names; an invalid one is the kernel's fault (500). */
function answeredPrincipal(raw: string): PrincipalId {
  const checked = checkPrincipalId(raw);
  if (!checked.ok) throw internal(checked.error);
  return checked.value;
}

/** Sessions: redeem an invite or pairing token for a bearer, inspect and refresh it, pair a device. */
export function register(app: FastifyInstance, ctx: GatewayContext): void {
  app.post<{ Body: RedeemBody }>(
    '/api/auth/redeem',
    {
      config: { public: true },
      schema: {
        tags: [TAG],
        summary: 'Redeem an invite: creates a principal bound to your key and returns a bearer',
        body: RedeemBody,
        response: { 200: RedeemResponse, ...errorResponses(400, 404, 409, 429, 500) },
      },
    },
    async (request) => {
      admitRedeem(request, ctx);
      const { token, public_key, display_name } = request.body;
      // The token is the credential: the kernel skips the capability check for redeems.
      const body = await adminFor(ctx, DEFAULT_PRINCIPAL, 'InviteRedeem', {
        token,
        public_key,
        ...(display_name === undefined ? {} : { display_name }),
      });
      const redeemed = answerAs(body, 'InviteRedeemed', InviteRedeemed);
      const session = ctx.tokens.mint(answeredPrincipal(redeemed.principal));
      return {
        principal: session.principal,
        group: redeemed.group,
        public_key_fingerprint: redeemed.public_key_fingerprint,
        session_token: session.token,
        session_expires_at_epoch: session.exp,
      };
    },
  );

  app.post<{ Body: PairRedeemBody }>(
    '/api/auth/pair-device/redeem',
    {
      config: { public: true },
      schema: {
        tags: [TAG],
        summary: 'Redeem a pairing token: binds your key to its principal and returns a bearer',
        body: PairRedeemBody,
        response: { 200: PairRedeemResponse, ...errorResponses(400, 404, 429, 500) },
      },
    },
    async (request) => {
      admitRedeem(request, ctx);
      const { token, public_key } = request.body;
      const body = await adminFor(ctx, DEFAULT_PRINCIPAL, 'PairDeviceRedeem', {
        token,
        public_key,
      });
      const redeemed = answerAs(body, 'PairTokenRedeemed', PairRedeemed);
      const session = ctx.tokens.mint(answeredPrincipal(redeemed.principal));
      return {
        principal: session.principal,
        public_key_fingerprint: redeemed.public_key_fingerprint,
        session_token: session.token,
        session_expires_at_epoch: session.exp,
      };
    },
  );

  app.get(
    '/api/auth/me',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'Who the presented bearer belongs to, and when it expires',
        response: { 200: MeResponse, ...errorResponses(401, 500) },
      },
    },
    async (request) => {
      const session = request.session;
      if (session === null) throw internal(new Error('authenticated route without a session'));
      return { principal: session.principal, expires_at_epoch: session.exp };
    },
  );

  app.post(
    '/api/auth/refresh',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'A fresh bearer for the same principal (the old one stays valid until it expires)',
        response: { 200: RefreshResponse, ...errorResponses(400, 401, 500) },
      },
    },
    async (request) => {
      const session = ctx.tokens.mint(request.principal);
      return {
        principal: session.principal,
        session_token: session.token,
        session_expires_at_epoch: session.exp,
      };
    },
  );

  app.post<{ Body: PairIssueBody }>(
    '/api/auth/pair-device',
    {
      // The body is optional: no body means the defaults.
      preValidation: (request, _reply, done) => {
        if (request.body === undefined) request.body = {};
        done();
      },
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary:
          'Issue a single-use token that pairs another device with your principal (self:auth:pair)',
        body: PairIssueBody,
        response: { 200: PairToken, ...errorResponses(400, 401, 403, 500) },
      },
    },
    async (request) => {
      const { expires_secs: expires, label } = request.body;
      const body = await adminFor(ctx, request.principal, 'PairDeviceIssue', {
        ...(expires === undefined ? {} : { expires_secs: expires }),
        ...(label === undefined ? {} : { label }),
      });
      return answerAs(body, 'PairToken', PairToken);
    },
  );
}
