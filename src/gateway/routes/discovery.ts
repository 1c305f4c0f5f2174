import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { distributionInfo, onboardingVariables } from '../discovery/distribution-info.js';
import type { GatewayContext } from '../gateway-context.js';

const TAG = 'discovery';

const NullableString = Type.Union([Type.String(), Type.Null()]);

const DistributionInfoView = Type.Object(
  {
    id: Type.String({ description: '`[distro] id`; `single-tenant` without a distro file.' }),
    name: Type.String(),
    pretty_name: NullableString,
    description: NullableString,
    homepage: NullableString,
    invites_enabled: Type.Boolean({ description: '`[invites].issuers` is a non-empty array.' }),
    branding: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], {
      description: 'The `[branding]` table as JSON.',
    }),
  },
  { title: 'DistributionInfo' },
);

const OnboardingView = Type.Object({
  fields: Type.Array(
    Type.Object({
      key: Type.String(),
      secret: Type.Boolean(),
      description: NullableString,
      default: NullableString,
    }),
    { description: 'One per `[variables.<key>]` of the distro, sorted by key.' },
  ),
});

/**
 * What this deployment is (spec §1.7, public): the Distro.toml named by
 * `distro-path`, read once when the gateway booted, else single-tenant
 * defaults.
 */
export function register(app: FastifyInstance, ctx: GatewayContext): void {
  const info = distributionInfo(ctx.config.distro);
  const onboarding = { fields: onboardingVariables(ctx.config.distro) };

  app.get(
    '/api/distribution',
    {
      config: { public: true },
      schema: {
        tags: [TAG],
        summary: 'Describe this distribution (public)',
        response: { 200: DistributionInfoView },
      },
    },
    async () => info,
  );

  app.get(
    '/api/distribution/onboarding',
    {
      config: { public: true },
      schema: {
        tags: [TAG],
        summary: "The distribution's onboarding variables (public)",
        response: { 200: OnboardingView },
      },
    },
    async () => onboarding,
  );
}
