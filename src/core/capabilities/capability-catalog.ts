/**
 * The catalogue of capabilities the kernel checks, in display order. Served to
 * dashboards (`/api/sys/capabilities`) and used to explain grants in the CLI.
 * Labels and descriptions are ours.
 */

export type CapabilityCategory =
  | 'system'
  | 'capsule'
  | 'agent'
  | 'quota'
  | 'group'
  | 'caps'
  | 'invite'
  | 'approval';

export type CapabilityScope = 'self' | 'global';

export type CapabilityDanger = 'safe' | 'normal' | 'elevated' | 'extreme';

export interface CapabilityCatalogEntry {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly category: CapabilityCategory;
  readonly scope: CapabilityScope;
  readonly danger: CapabilityDanger;
}

function entry(
  id: string,
  category: CapabilityCategory,
  scope: CapabilityScope,
  danger: CapabilityDanger,
  label: string,
  description: string,
): CapabilityCatalogEntry {
  return Object.freeze({ id, label, description, category, scope, danger });
}

export const CAPABILITY_CATALOG: readonly CapabilityCatalogEntry[] = Object.freeze([
  entry(
    'system:shutdown',
    'system',
    'global',
    'extreme',
    'Shut down the daemon',
    'Stop the kernel and every capsule it hosts.',
  ),
  entry(
    'system:status',
    'system',
    'global',
    'safe',
    'Read daemon status',
    'See uptime, version, connected clients and loaded capsules.',
  ),
  entry(
    'capsule:install',
    'capsule',
    'global',
    'extreme',
    'Install capsules for anyone',
    'Install or upgrade capsules on behalf of any principal.',
  ),
  entry(
    'self:capsule:install',
    'capsule',
    'self',
    'elevated',
    'Install own capsules',
    'Install or upgrade capsules for oneself.',
  ),
  entry(
    'capsule:reload',
    'capsule',
    'global',
    'normal',
    'Reload capsules for anyone',
    'Reload capsules on behalf of any principal.',
  ),
  entry(
    'self:capsule:reload',
    'capsule',
    'self',
    'normal',
    'Reload own capsules',
    'Reload the capsules one runs.',
  ),
  entry(
    'capsule:list',
    'capsule',
    'global',
    'safe',
    'List all capsules',
    'List capsules, commands and metadata for any principal.',
  ),
  entry(
    'self:capsule:list',
    'capsule',
    'self',
    'safe',
    'List own capsules',
    'List the capsules, commands and metadata one can use.',
  ),
  entry(
    'agent:create',
    'agent',
    'global',
    'normal',
    'Create agents',
    'Create new principals with a profile and a home directory.',
  ),
  entry(
    'agent:delete',
    'agent',
    'global',
    'elevated',
    'Delete agents',
    "Delete a principal's profile and identity links.",
  ),
  entry(
    'agent:enable',
    'agent',
    'global',
    'normal',
    'Enable agents',
    'Re-enable a disabled principal.',
  ),
  entry(
    'agent:disable',
    'agent',
    'global',
    'elevated',
    'Disable agents',
    'Refuse every request from a principal until it is enabled again.',
  ),
  entry(
    'agent:modify',
    'agent',
    'global',
    'elevated',
    'Change agent groups',
    'Add or remove group memberships of a principal.',
  ),
  entry(
    'agent:list',
    'agent',
    'global',
    'safe',
    'List all agents',
    'See every principal with its groups, grants and revokes.',
  ),
  entry(
    'self:agent:list',
    'agent',
    'self',
    'safe',
    'See own agent entry',
    "See one's own principal entry.",
  ),
  entry(
    'quota:set',
    'quota',
    'global',
    'normal',
    'Set anyone’s quotas',
    'Replace the resource quotas of any principal.',
  ),
  entry(
    'self:quota:set',
    'quota',
    'self',
    'normal',
    'Set own quotas',
    "Replace one's own resource quotas.",
  ),
  entry(
    'quota:get',
    'quota',
    'global',
    'safe',
    'Read anyone’s quotas',
    'Read quotas and resource usage of any principal.',
  ),
  entry(
    'self:quota:get',
    'quota',
    'self',
    'safe',
    'Read own quotas',
    "Read one's own quotas and resource usage.",
  ),
  entry(
    'group:create',
    'group',
    'global',
    'elevated',
    'Create groups',
    'Define a new custom group of capabilities.',
  ),
  entry(
    'group:delete',
    'group',
    'global',
    'elevated',
    'Delete groups',
    'Remove a custom group; members lose what it granted.',
  ),
  entry(
    'group:modify',
    'group',
    'global',
    'elevated',
    'Change groups',
    'Change the capabilities or description of a custom group.',
  ),
  entry(
    'group:list',
    'group',
    'global',
    'safe',
    'List all groups',
    'See every group and the capabilities it confers.',
  ),
  entry(
    'self:group:list',
    'group',
    'self',
    'safe',
    'List groups',
    'See the groups defined on this kernel.',
  ),
  entry(
    'caps:grant',
    'caps',
    'global',
    'extreme',
    'Grant capabilities',
    'Add capabilities directly to any principal.',
  ),
  entry(
    'caps:revoke',
    'caps',
    'global',
    'elevated',
    'Revoke capabilities',
    'Take capabilities away from any principal; revokes win over grants.',
  ),
  entry(
    'invite:issue',
    'invite',
    'global',
    'elevated',
    'Issue invites',
    'Mint invite tokens that create new principals in a group.',
  ),
  entry(
    'invite:redeem',
    'invite',
    'global',
    'normal',
    'Redeem invites',
    'Exchange an invite token and a public key for a new principal.',
  ),
  entry(
    'invite:list',
    'invite',
    'global',
    'safe',
    'List invites',
    'See outstanding invites by fingerprint.',
  ),
  entry(
    'invite:revoke',
    'invite',
    'global',
    'normal',
    'Revoke invites',
    'Cancel an outstanding invite.',
  ),
  entry(
    'self:audit:read',
    'system',
    'self',
    'safe',
    'Read own audit entries',
    'Query the audit log for the entries of requests one made.',
  ),
  entry(
    'audit:verify',
    'system',
    'global',
    'normal',
    'Verify the audit chain',
    'Check every signature and hash link of the audit log.',
  ),
  entry(
    'audit:read_all',
    'system',
    'global',
    'elevated',
    'Read the whole audit log',
    'See audit entries of every principal, not only one’s own.',
  ),
  entry(
    'self:approval:respond',
    'approval',
    'self',
    'safe',
    'Answer approval prompts',
    "Approve or deny requests raised on one's own behalf.",
  ),
  entry(
    'self:auth:pair',
    'approval',
    'self',
    'normal',
    'Pair devices',
    "Issue pairing tokens that add a device key to one's own principal.",
  ),
  entry(
    'auth:pair:redeem',
    'approval',
    'global',
    'normal',
    'Redeem pairing tokens',
    'Exchange a pairing token for a device key binding.',
  ),
]);

const BY_ID = new Map(CAPABILITY_CATALOG.map((e) => [e.id, e]));

export function catalogEntry(id: string): CapabilityCatalogEntry | undefined {
  return BY_ID.get(id);
}
