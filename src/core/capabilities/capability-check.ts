import type { GroupConfig } from '../groups/group-config.js';
import type { PrincipalId } from '../ids/principal-id.js';
import type { Profile } from '../profiles/profile.js';
import { capabilityMatches } from './capability-grammar.js';

/** Why `require` refused, mirroring the kernel's permission error strings. */
export type CapabilityDenial =
  | { readonly kind: 'revoked'; readonly capability: string; readonly revokePattern: string }
  | { readonly kind: 'missing'; readonly capability: string }
  | { readonly kind: 'disabled' };

export type CapabilityDecision =
  | {
      readonly allowed: true;
      readonly via: 'grant' | 'group';
      readonly pattern: string;
      readonly group?: string;
    }
  | { readonly allowed: false; readonly denial: CapabilityDenial };

/** Renders a denial as the kernel's stable permission-error text. */
export function describeDenial(principal: string, denial: CapabilityDenial): string {
  switch (denial.kind) {
    case 'revoked':
      return `permission denied for principal ${principal}: capability ${denial.capability} is revoked via "${denial.revokePattern}"`;
    case 'missing':
      return `permission denied for principal ${principal}: missing capability ${denial.capability}`;
    case 'disabled':
      return `permission denied for principal ${principal}: agent is disabled`;
  }
}

/**
 * Whether a principal holds a capability: revokes first (they beat grants and
 * group membership, `admin` included), then direct grants, then the groups the
 * profile names. Groups missing from the config grant nothing (fail closed),
 * and a global capability never implies its `self:` form or vice versa.
 *
 * Pure: the profile and the group config are inputs, nothing is read.
 */
export class CapabilityCheck {
  readonly principal: PrincipalId;
  private readonly profile: Profile | null;
  private readonly groups: GroupConfig | null;

  /**
   * `profile` or `groups` may be null when they could not be loaded; every
   * check then denies (fail secure).
   */
  constructor(profile: Profile | null, groups: GroupConfig | null, principal: PrincipalId) {
    this.profile = profile;
    this.groups = groups;
    this.principal = principal;
  }

  /** Group names the profile lists that the config does not define (ignored by checks). */
  unknownGroups(): string[] {
    if (this.profile === null || this.groups === null) return [];
    const groups = this.groups;
    return this.profile.groups.filter((g) => !groups.has(g));
  }

  decide(capability: string): CapabilityDecision {
    const profile = this.profile;
    if (profile === null || this.groups === null) {
      return { allowed: false, denial: { kind: 'missing', capability } };
    }
    const revokePattern = profile.revokes.find((r) => capabilityMatches(r, capability));
    if (revokePattern !== undefined) {
      return { allowed: false, denial: { kind: 'revoked', capability, revokePattern } };
    }
    const grant = profile.grants.find((g) => capabilityMatches(g, capability));
    if (grant !== undefined) return { allowed: true, via: 'grant', pattern: grant };
    for (const name of profile.groups) {
      const group = this.groups.get(name);
      if (group === undefined) continue;
      const pattern = group.capabilities.find((c) => capabilityMatches(c, capability));
      if (pattern !== undefined) return { allowed: true, via: 'group', pattern, group: name };
    }
    return { allowed: false, denial: { kind: 'missing', capability } };
  }

  has(capability: string): boolean {
    return this.decide(capability).allowed;
  }

  /**
   * The authorization rule the kernel applies to requests: a disabled
   * principal is refused before any capability is considered.
   */
  authorize(capability: string): CapabilityDecision {
    if (this.profile !== null && !this.profile.enabled) {
      return { allowed: false, denial: { kind: 'disabled' } };
    }
    return this.decide(capability);
  }

  /** Whether the principal holds any capability that exempts it from CPU/memory bounds. */
  hasAny(capabilities: Iterable<string>): boolean {
    for (const cap of capabilities) if (this.has(cap)) return true;
    return false;
  }
}
