import type { AdminKind } from './admin-request.js';

export interface AdminPolicy {
  /** The capability the preamble requires; null when the token is the credential (redeems). */
  readonly capability: string | null;
  /** What the audit row names as required (redeems name a pseudo capability). */
  readonly auditCapability: string;
  readonly scope: 'self' | 'global';
  /** The principal the request acts on (audit `target_principal`), if any. */
  readonly target: string | null;
}

function selfOrGlobal(caller: string, target: string, self: string, global: string): AdminPolicy {
  const scope = target === caller ? 'self' : 'global';
  const capability = scope === 'self' ? self : global;
  return { capability, auditCapability: capability, scope, target };
}

function global(capability: string, target: string | null = null): AdminPolicy {
  return { capability, auditCapability: capability, scope: 'global', target };
}

function self(capability: string): AdminPolicy {
  return { capability, auditCapability: capability, scope: 'self', target: null };
}

/**
 * What an admin request needs: quota and usage reads/writes are self-scoped
 * when they target the caller; agent and group listings and pair-device
 * issue are always self-scoped; redeems need no capability (the token is the
 * credential); everything else is global. Pure.
 */
export function adminPolicy(kind: AdminKind, caller: string): AdminPolicy {
  switch (kind.method) {
    case 'AgentCreate':
      return global('agent:create');
    case 'AgentDelete':
      return global('agent:delete', kind.principal);
    case 'AgentEnable':
      return global('agent:enable', kind.principal);
    case 'AgentDisable':
      return global('agent:disable', kind.principal);
    case 'AgentModify':
      return global('agent:modify', kind.principal);
    case 'AgentList':
      return self('self:agent:list');
    case 'QuotaSet':
      return selfOrGlobal(caller, kind.principal, 'self:quota:set', 'quota:set');
    case 'QuotaGet':
    case 'UsageGet':
      return selfOrGlobal(caller, kind.principal, 'self:quota:get', 'quota:get');
    case 'GroupCreate':
      return global('group:create');
    case 'GroupDelete':
      return global('group:delete');
    case 'GroupModify':
      return global('group:modify');
    case 'GroupList':
      return self('self:group:list');
    case 'CapsGrant':
      return global('caps:grant', kind.principal);
    case 'CapsRevoke':
      return global('caps:revoke', kind.principal);
    case 'InviteIssue':
      return global('invite:issue');
    case 'InviteList':
      return global('invite:list');
    case 'InviteRevoke':
      return global('invite:revoke');
    case 'InviteRedeem':
      return { capability: null, auditCapability: 'invite:redeem', scope: 'global', target: null };
    case 'PairDeviceIssue':
      return self('self:auth:pair');
    case 'PairDeviceRedeem':
      return {
        capability: null,
        auditCapability: 'auth:pair:redeem',
        scope: 'global',
        target: null,
      };
  }
}
