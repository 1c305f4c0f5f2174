import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { planEnvFieldWrite } from '../../capsule/env/env-field-plan.js';
import { writeEnvField } from '../../capsule/env/write-env-field.js';
import { loadInstalledManifest } from '../../capsule/install/installed-manifest.js';
import type { CapsuleManifest } from '../../capsule/manifest/manifest.js';
import type { CapsuleId } from '../../core/ids/capsule-id.js';
import { requireCapability } from '../access/require-capability.js';
import {
  CapsuleIdParam,
  capsuleParam,
  EnvFieldParam,
  envFieldParam,
} from '../capsules/capsule-param.js';
import { envFieldSchemas } from '../env/env-field-schema.js';
import type { GatewayContext } from '../gateway-context.js';
import { badRequest, errorResponses, internal, notFound } from '../http-errors.js';

const TAG = 'env';

/** Reading a capsule's configuration schema is capsule metadata, like listing it. */
const READ_CAPABILITY = 'self:capsule:list';
/** Configuring a capsule for oneself is part of installing it for oneself. */
const WRITE_CAPABILITY = 'self:capsule:install';

const Params = Type.Object({ id: CapsuleIdParam });
type Params = Static<typeof Params>;
const FieldParams = Type.Object({ id: CapsuleIdParam, field: EnvFieldParam });
type FieldParams = Static<typeof FieldParams>;

const EnvFieldSchemaView = Type.Object(
  {
    type: Type.Union(
      [Type.Literal('secret'), Type.Literal('text'), Type.Literal('select'), Type.Literal('array')],
      { description: "The manifest's `type` (case-insensitive; unknown types read as text)." },
    ),
    description: Type.Optional(Type.String()),
    request: Type.Optional(Type.String()),
    default: Type.Optional(Type.String()),
    enum_values: Type.Optional(Type.Array(Type.String())),
    placeholder: Type.Optional(Type.String()),
  },
  { title: 'EnvFieldSchema' },
);

const EnvSchemaView = Type.Object({
  capsule_id: Type.String(),
  fields: Type.Record(Type.String(), EnvFieldSchemaView),
});

const SetBody = Type.Object(
  {
    value: Type.String({
      description:
        'secret → your secret store; text/select → your env file (select must be one of enum_values); array → appended.',
    }),
  },
  { additionalProperties: false },
);
type SetBody = Static<typeof SetBody>;

async function installedManifest(ctx: GatewayContext, id: CapsuleId): Promise<CapsuleManifest> {
  let manifest: CapsuleManifest | null;
  try {
    manifest = await loadInstalledManifest(ctx.home, id);
  } catch (e) {
    // Installed but unreadable: the operator's problem, not the caller's input.
    throw internal(e);
  }
  if (manifest === null) throw notFound();
  return manifest;
}

/**
 * A capsule's `[env]` schema and per-caller values (spec §1.11). The schema
 * is the installed Capsule.toml's `[env]` read by `type`; values land in the
 * caller's own scope: secrets in its file secret store, the rest in its env
 * file.
 */
export function register(app: FastifyInstance, ctx: GatewayContext): void {
  app.get<{ Params: Params }>(
    '/api/capsules/:id/env',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: "An installed capsule's [env] fields (self:capsule:list)",
        params: Params,
        response: { 200: EnvSchemaView, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const id = capsuleParam(request.params.id);
      requireCapability(ctx, request.principal, READ_CAPABILITY);
      const manifest = await installedManifest(ctx, id);
      return { capsule_id: id, fields: envFieldSchemas(manifest) };
    },
  );

  app.post<{ Params: FieldParams; Body: SetBody }>(
    '/api/capsules/:id/env/:field',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'Set one [env] value for yourself (self:capsule:install)',
        description:
          'Secret-typed fields go to `secrets/<you>/<capsule>/<field>` and never to the env file; text and select go to `home/<you>/.config/env/<capsule>.env.json`; array appends. Unknown capsule or field → 404.',
        params: FieldParams,
        body: SetBody,
        response: {
          204: Type.Null({ description: 'Stored.' }),
          ...errorResponses(400, 401, 403, 404, 500),
        },
      },
    },
    async (request, reply) => {
      const id = capsuleParam(request.params.id);
      const field = envFieldParam(request.params.field);
      requireCapability(ctx, request.principal, WRITE_CAPABILITY);
      const manifest = await installedManifest(ctx, id);
      const def = manifest.env.find((d) => d.key === field);
      if (def === undefined) throw notFound();
      const plan = planEnvFieldWrite(def, request.body.value);
      if (!plan.ok) throw badRequest(plan.error.message);
      try {
        await writeEnvField(ctx.home, request.principal, id, def, plan.value, ctx.logger);
      } catch (e) {
        throw internal(e);
      }
      return reply.code(204).send();
    },
  );
}
