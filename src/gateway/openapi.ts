import { ASTRID_VERSION } from '../core/version.js';

/** Tag per route family; every route declares exactly one of these. */
export const OPENAPI_TAGS = [
  { name: 'auth', description: 'Bearer sessions: redeem, refresh, pair a device.' },
  { name: 'principals', description: 'Principals (agents, users, devices).' },
  { name: 'caps', description: 'Direct capability grants and revokes.' },
  { name: 'quotas', description: 'Resource quotas and usage.' },
  { name: 'groups', description: 'Capability groups.' },
  { name: 'invites', description: 'Invite tokens.' },
  { name: 'capsules', description: 'Installed capsules.' },
  { name: 'env', description: 'Per-principal capsule configuration.' },
  { name: 'agent', description: 'Prompting the agent (server-sent events).' },
  { name: 'audit', description: 'The audit feed and history.' },
  { name: 'system', description: 'Daemon status and the capability catalogue.' },
  { name: 'discovery', description: 'What this deployment is (public).' },
  { name: 'ops', description: 'Health, metrics and this document (public).' },
] as const;

export type OpenApiTag = (typeof OPENAPI_TAGS)[number]['name'];

export const BEARER_SCHEME = 'bearerAuth';
export const BEARER_FORMAT = 'astrid-session-v2';
export const DOCS_PREFIX = '/api/docs';

/** The document-level part of the OpenAPI 3.1 description; paths come from the route schemas. */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Astrid Gateway',
      version: ASTRID_VERSION,
      description:
        'HTTP face of the Astrid kernel. Authenticated routes take `Authorization: Bearer <token>`; every error is `{"error": <tag>, "reason"?, "retry_after_secs"?}`. Server-sent event streams send `: keep-alive` comment lines every 15 s.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    components: {
      securitySchemes: {
        [BEARER_SCHEME]: {
          type: 'http' as const,
          scheme: 'bearer',
          bearerFormat: BEARER_FORMAT,
          description:
            '`b64url(principal).b64url(iat).b64url(exp).hex(ed25519 signature)`, from /api/auth/redeem, /api/auth/pair-device/redeem or /api/auth/refresh.',
        },
      },
    },
    security: [{ [BEARER_SCHEME]: [] }],
    tags: OPENAPI_TAGS.map((t) => ({ ...t })),
  };
}
