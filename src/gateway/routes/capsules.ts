import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { loadManifest } from '../../capsule/manifest/load-manifest.js';
import { isAstridError } from '../../core/errors.js';
import { kernelFor } from '../access/kernel-call.js';
import { CapsuleIdParam, capsuleParam } from '../capsules/capsule-param.js';
import { capsuleTopics } from '../capsules/capsule-topics.js';
import type { GatewayContext } from '../gateway-context.js';
import { badRequest, errorResponses, fromKernelError, internal, notFound } from '../http-errors.js';

const TAG = 'capsules';

/** Installing may build and transpile a component; the kernel serves one request at a time. */
const INSTALL_TIMEOUT_MS = 120_000;

const Params = Type.Object({ id: CapsuleIdParam });
type Params = Static<typeof Params>;

const CapsuleNames = Type.Array(Type.String());

const InstallBody = Type.Object(
  {
    source: Type.String({
      minLength: 1,
      description:
        'A path on the daemon host: a capsule directory with Capsule.toml, or a `.capsule` archive (`file://` accepted). Remote sources are refused.',
    }),
    workspace: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Refused: workspace installs are a CLI affair.',
      }),
    ),
  },
  { additionalProperties: false },
);
type InstallBody = Static<typeof InstallBody>;

const InstallOutputView = Type.Object(
  {
    capsule: Type.String(),
    target_dir: Type.String(),
    phase: Type.Union([Type.Literal('install'), Type.Literal('upgrade')]),
    installed_version: Type.String(),
    previous_version: Type.Union([Type.String(), Type.Null()]),
    wasm_hash: Type.Union([Type.String(), Type.Null()]),
    env_path: Type.String(),
    env_needs_prompt: Type.Boolean(),
    missing_imports: Type.Array(
      Type.Object({
        namespace: Type.String(),
        interface: Type.String(),
        requirement: Type.String(),
      }),
    ),
    export_conflicts: Type.Array(
      Type.Object({ interface: Type.String(), existing_capsule: Type.String() }),
    ),
    warnings: Type.Array(
      Type.Object({
        code: Type.String(),
        table: Type.String(),
        key: Type.Union([Type.String(), Type.Null()]),
        message: Type.String(),
      }),
    ),
  },
  { title: 'InstallOutput' },
);

const Metadata = Type.Array(
  Type.Object(
    { name: Type.String(), interceptor_events: Type.Array(Type.String()) },
    { additionalProperties: true },
  ),
);

const CapsuleView = Type.Object({
  id: Type.String(),
  interceptor_events: Type.Array(Type.String(), {
    description: 'Topics the capsule intercepts (subscriptions bound to a handler).',
  }),
});

const VerboseRows = Type.Array(
  Type.Object({ name: Type.String(), dir: Type.String() }, { additionalProperties: true }),
);

const TopicView = Type.Object({
  topic: Type.String(),
  direction: Type.Union([Type.Literal('publish'), Type.Literal('subscribe')]),
  wit: Type.String({
    description: 'Payload schema: a local record, `@scope/repo/iface/record`, or `opaque`.',
  }),
  fanout: Type.Optional(Type.Boolean()),
  handler: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  priority: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
});
const TopicsView = Type.Object({ topics: Type.Array(TopicView) });

/** An install source that does not exist is the caller's mistake, not a missing resource. */
function installRefusal(e: unknown) {
  return isAstridError(e, 'not-found') ? badRequest(e.message) : fromKernelError(e);
}

/** Loaded capsules, install by local path, metadata and declared topics (spec §1.7). */
export function register(app: FastifyInstance, ctx: GatewayContext): void {
  app.get(
    '/api/capsules',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'List loaded capsules (self:capsule:list)',
        response: {
          200: Type.Object({ capsules: CapsuleNames }),
          ...errorResponses(401, 403, 500),
        },
      },
    },
    async (request) => {
      const capsules = await kernelFor(ctx, request.principal, 'ListCapsules', undefined, {
        status: 'Success',
        schema: CapsuleNames,
      });
      return { capsules };
    },
  );

  app.post<{ Body: InstallBody }>(
    '/api/capsules',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'Install a capsule from a local path (self:capsule:install, 10/min)',
        description:
          'The daemon installs only local paths; `https://`, `http://`, `github.com/`, `@` and `gh:` sources and `workspace: true` are refused with 400. Installing a loaded capsule replaces it.',
        body: InstallBody,
        response: { 200: InstallOutputView, ...errorResponses(400, 401, 403, 429, 500) },
      },
    },
    async (request) =>
      kernelFor(
        ctx,
        request.principal,
        'InstallCapsule',
        { source: request.body.source, workspace: request.body.workspace ?? false },
        { status: 'Success', schema: InstallOutputView },
        { timeoutMs: INSTALL_TIMEOUT_MS, refusal: installRefusal },
      ),
  );

  app.get<{ Params: Params }>(
    '/api/capsules/:id',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'Describe a loaded capsule (self:capsule:list)',
        params: Params,
        response: { 200: CapsuleView, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const id = capsuleParam(request.params.id);
      const rows = await kernelFor(ctx, request.principal, 'GetCapsuleMetadata', undefined, {
        status: 'CapsuleMetadata',
        schema: Metadata,
      });
      const row = rows.find((r) => r.name === id);
      if (row === undefined) throw notFound();
      return { id, interceptor_events: row.interceptor_events };
    },
  );

  app.get<{ Params: Params }>(
    '/api/capsules/:id/topics',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: "A loaded capsule's declared publish and subscribe topics (self:capsule:list)",
        params: Params,
        response: { 200: TopicsView, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const id = capsuleParam(request.params.id);
      const rows = await kernelFor(
        ctx,
        request.principal,
        'ListCapsules',
        { verbose: true },
        {
          status: 'Success',
          schema: VerboseRows,
        },
      );
      const row = rows.find((r) => r.name === id);
      if (row === undefined) throw notFound();
      try {
        return { topics: capsuleTopics((await loadManifest(row.dir)).manifest) };
      } catch (e) {
        // The kernel loaded (or tried) this directory; an unreadable manifest now is our fault.
        throw internal(e);
      }
    },
  );
}
