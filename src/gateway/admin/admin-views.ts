import { type Static, type TSchema, type TUnsafe, Type } from '@sinclair/typebox';
import { PRINCIPAL_ID_MAX_LENGTH } from '../../core/ids/principal-id.js';

/**
 * The typed mirrors of the kernel's admin answers, as the HTTP API shows them.
 * Each carries a `$id` so route schemas reference it (`$ref`) and the OpenAPI
 * document lists it once under `components.schemas`; the same schemas check
 * the kernel's answers before they are sent (see `access/kernel-answer.ts`).
 */

export const PrincipalIdSchema = Type.String({
  minLength: 1,
  maxLength: PRINCIPAL_ID_MAX_LENGTH,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'A principal id: 1–64 characters of letters, digits, `_` or `-`.',
});

export const GroupNameSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'A group name: 1–64 characters of letters, digits, `_` or `-`.',
});

export const AgentSummaryView = Type.Object(
  {
    principal: Type.String(),
    enabled: Type.Boolean(),
    groups: Type.Array(Type.String()),
    grants: Type.Array(Type.String()),
    revokes: Type.Array(Type.String()),
  },
  {
    $id: 'AgentSummaryView',
    description: 'A principal, its groups and its direct grants/revokes.',
  },
);
export type AgentSummary = Static<typeof AgentSummaryView>;

const quotaFields = {
  max_memory_bytes: Type.Integer({ minimum: 1, description: 'Linear memory per instance, bytes.' }),
  max_timeout_secs: Type.Integer({
    minimum: 1,
    maximum: 86_400,
    description: 'Wall-clock limit of one capsule call, seconds.',
  }),
  max_ipc_throughput_bytes: Type.Integer({
    minimum: 1,
    description: 'IPC bytes published per second, per capsule.',
  }),
  max_background_processes: Type.Integer({
    minimum: 0,
    maximum: 256,
    description: 'Concurrent background processes.',
  }),
  max_storage_bytes: Type.Integer({ minimum: 1, description: 'Total KV/storage bytes.' }),
  max_cpu_fuel_per_sec: Type.Integer({ minimum: 1, description: 'WASM fuel per second.' }),
};

/** A quota block as sent on PUT: every field optional (omitted fields take their defaults). */
export const QuotasView = Type.Partial(Type.Object(quotaFields), {
  $id: 'QuotasView',
  description: 'Resource quotas; on PUT omitted fields take their defaults.',
});

/** A quota block as the kernel reports it: every field present. */
export const QuotasAnswer = Type.Object(quotaFields, {
  $id: 'QuotasAnswer',
  description: 'The effective resource quotas of a principal.',
});
export type QuotasBlock = Static<typeof QuotasAnswer>;

export const ResourceUsageView = Type.Object(
  {
    principal: Type.String(),
    cpu_fuel_consumed_total: Type.Integer({ minimum: 0 }),
    cpu_fuel_per_sec_limit: Type.Integer({ minimum: 0 }),
    exempt: Type.Boolean(),
    memory_bytes_limit_per_instance: Type.Integer({ minimum: 0 }),
    memory_bytes_current_total: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    memory_bytes_peak_total: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  },
  { $id: 'ResourceUsageView', description: 'Resource consumption of a principal.' },
);
export type ResourceUsage = Static<typeof ResourceUsageView>;

export const GroupSummaryView = Type.Object(
  {
    name: Type.String(),
    capabilities: Type.Array(Type.String()),
    description: Type.Optional(Type.String()),
    unsafe_admin: Type.Boolean(),
    builtin: Type.Boolean(),
  },
  { $id: 'GroupSummaryView', description: 'A capability group (built-in groups are read-only).' },
);
export type GroupSummary = Static<typeof GroupSummaryView>;

const metadata = Type.Record(Type.String(), Type.Unknown(), {
  description: 'Free-form JSON stored with the invite.',
});

export const InviteIssuedView = Type.Object(
  {
    token: Type.String({ description: 'The invite token; shown once, only its hash is stored.' }),
    group: Type.String(),
    remaining_uses: Type.Integer({ minimum: 0 }),
    expires_at_epoch: Type.Optional(Type.Integer({ minimum: 0 })),
    metadata: Type.Optional(metadata),
  },
  { $id: 'InviteIssuedView', description: 'A freshly issued invite.' },
);
export type InviteIssued = Static<typeof InviteIssuedView>;

export const InviteSummaryView = Type.Object(
  {
    token_fingerprint: Type.String({ description: 'Lowercase hex SHA-256 of the token.' }),
    group: Type.String(),
    remaining_uses: Type.Integer({ minimum: 0 }),
    expires_at_epoch: Type.Optional(Type.Integer({ minimum: 0 })),
    issued_at_epoch: Type.Integer({ minimum: 0 }),
    metadata: Type.Optional(metadata),
  },
  { $id: 'InviteSummaryView', description: 'A live invite (the token itself is never listed).' },
);
export type InviteSummary = Static<typeof InviteSummaryView>;

export const CapabilityInfoView = Type.Object(
  {
    id: Type.String(),
    label: Type.String(),
    description: Type.String(),
    category: Type.String(),
    scope: Type.Union([Type.Literal('global'), Type.Literal('self')]),
    danger: Type.Union([
      Type.Literal('safe'),
      Type.Literal('normal'),
      Type.Literal('elevated'),
      Type.Literal('extreme'),
    ]),
  },
  { $id: 'CapabilityInfoView', description: 'One capability the kernel checks.' },
);

/** Every view registered as a shared schema. */
export const ADMIN_VIEWS: readonly TSchema[] = [
  AgentSummaryView,
  QuotasView,
  QuotasAnswer,
  ResourceUsageView,
  GroupSummaryView,
  InviteIssuedView,
  InviteSummaryView,
  CapabilityInfoView,
];

/** A `$ref` to a registered view, typed as the view. */
export function viewRef<T extends TSchema>(view: T): TUnsafe<Static<T>> {
  if (view.$id === undefined) throw new Error('viewRef needs a schema with a $id');
  return Type.Unsafe<Static<T>>(Type.Ref(view.$id));
}
