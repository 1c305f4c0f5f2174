import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CapabilityCheck } from '../../core/capabilities/capability-check.js';
import {
  type Capability,
  checkCapability,
  UNIVERSAL_CAPABILITY,
} from '../../core/capabilities/capability-grammar.js';
import { EXEMPT_CAPABILITIES } from '../../core/capabilities/special-capabilities.js';
import { AstridError } from '../../core/errors.js';
import { checkGroupName } from '../../core/groups/group.js';
import {
  checkPrincipalId,
  DEFAULT_PRINCIPAL,
  type PrincipalId,
} from '../../core/ids/principal-id.js';
import { makeProfile, type Profile } from '../../core/profiles/profile.js';
import { quotasFromWire, quotasToWire } from '../../core/profiles/quotas.js';
import type { Json } from '../../events/json.js';
import { newToken, tokenHash } from '../../storage/invites/token-hash.js';
import type { KernelState } from '../state/kernel-state.js';
import type { AdminBody } from './admin-body.js';
import type { AdminKind } from './admin-request.js';
import { publicKeyFingerprint } from './audit-redaction.js';
import { normalizePublicKey } from './public-key.js';

export const INVITE_MAX_EXPIRES_SECS = 30 * 24 * 3600;
export const PAIR_DEFAULT_EXPIRES_SECS = 300;
export const PAIR_MAX_EXPIRES_SECS = 3600;
const RANDOM_ID_ATTEMPTS = 16;

function fail(code: ConstructorParameters<typeof AstridError>[0], message: string): never {
  throw new AstridError(code, message);
}

function principalArg(value: string): PrincipalId {
  const checked = checkPrincipalId(value);
  if (!checked.ok) throw checked.error;
  return checked.value;
}

/** The slug rule for invite display names. */
export function slugifyDisplayName(name: string): string {
  return [...name]
    .slice(0, 64)
    .join('')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .toLowerCase()
    .replace(/^-+/, '')
    .replace(/-+$/, '');
}

/**
 * The admin API's handlers. Every handler is synchronous (the state stores
 * are), so requests never interleave: the event loop itself is the admin
 * write lock. The router runs a mutating handler inside one database
 * transaction together with the request's audit row, so a change and its
 * audit record commit or vanish together; a handler that throws leaves no
 * state change behind (it undoes its own file-system steps).
 */
export class AdminService {
  private readonly s: KernelState;

  constructor(state: KernelState) {
    this.s = state;
  }

  handle(kind: AdminKind, caller: PrincipalId): AdminBody {
    switch (kind.method) {
      case 'AgentCreate':
        return this.agentCreate(kind);
      case 'AgentDelete':
        return this.agentDelete(kind.principal);
      case 'AgentEnable':
        return this.agentSetEnabled(kind.principal, true);
      case 'AgentDisable':
        return this.agentSetEnabled(kind.principal, false);
      case 'AgentModify':
        return this.agentModify(kind);
      case 'AgentList':
        return this.agentList(caller);
      case 'QuotaSet':
        return this.quotaSet(kind);
      case 'QuotaGet':
        return {
          status: 'Quotas',
          data: quotasToWire(this.existing(principalArg(kind.principal)).quotas),
        };
      case 'UsageGet':
        return this.usage(principalArg(kind.principal));
      case 'GroupCreate': {
        const next = this.s.groups.current().create({
          name: kind.name,
          capabilities: kind.capabilities,
          description: kind.description,
          unsafeAdmin: kind.unsafe_admin,
        });
        if (!next.ok) throw next.error;
        this.s.groups.replace(next.value);
        return { status: 'Success', data: { status: 'ok' } };
      }
      case 'GroupModify': {
        const next = this.s.groups.current().modify(kind.name, {
          ...(kind.capabilities === undefined ? {} : { capabilities: kind.capabilities }),
          ...(kind.description === undefined ? {} : { description: kind.description }),
          ...(kind.unsafe_admin === undefined ? {} : { unsafeAdmin: kind.unsafe_admin }),
        });
        if (!next.ok) throw next.error;
        this.s.groups.replace(next.value);
        return { status: 'Success', data: { status: 'ok' } };
      }
      case 'GroupDelete': {
        const next = this.s.groups.current().remove(kind.name);
        if (!next.ok) throw next.error;
        this.s.groups.replace(next.value);
        return { status: 'Success', data: { status: 'ok' } };
      }
      case 'GroupList':
        return {
          status: 'GroupList',
          data: this.s.groups
            .current()
            .list()
            .map((g) => ({
              name: g.name,
              capabilities: [...g.capabilities],
              description: g.description,
              unsafe_admin: g.unsafeAdmin,
              builtin: g.builtin,
            })),
        };
      case 'CapsGrant':
        return this.capsChange(kind.principal, kind.capabilities, 'grant', kind.unsafe_admin);
      case 'CapsRevoke':
        return this.capsChange(kind.principal, kind.capabilities, 'revoke', false);
      case 'InviteIssue':
        return this.inviteIssue(kind);
      case 'InviteRedeem':
        return this.inviteRedeem(kind);
      case 'InviteList':
        return this.inviteList();
      case 'InviteRevoke':
        return this.inviteRevoke(kind.token);
      case 'PairDeviceIssue':
        return this.pairIssue(kind, caller);
      case 'PairDeviceRedeem':
        return this.pairRedeem(kind);
    }
  }

  /** The stored profile of a principal that must exist. */
  private existing(principal: PrincipalId): Profile {
    const profile = this.s.profileCache.stored(principal);
    if (profile === null)
      fail(
        'not-found',
        `principal ${principal} does not exist (no stored profile); create it with agent.create`,
      );
    return profile;
  }

  private save(principal: PrincipalId, profile: Profile): void {
    this.s.profiles.save(principal, profile);
    this.s.profileCache.invalidate(principal);
  }

  private agentCreate(kind: Extract<AdminKind, { method: 'AgentCreate' }>): AdminBody {
    const checked = checkPrincipalId(kind.name);
    if (!checked.ok) fail('invalid-input', `invalid principal name: ${checked.error.message}`);
    const principal = checked.value;
    if (principal === DEFAULT_PRINCIPAL)
      fail('invalid-input', 'the principal name "default" is reserved');
    if (this.s.profiles.exists(principal))
      fail('already-exists', `principal ${principal} already exists`);
    for (const g of kind.groups) {
      const name = checkGroupName(g);
      if (!name.ok) throw name.error;
    }
    const grants: Capability[] = [];
    for (const raw of kind.grants) {
      const cap = checkCapability(raw);
      if (!cap.ok)
        fail('invalid-input', `capability ${JSON.stringify(raw)} rejected: ${cap.error.message}`);
      if (cap.value === UNIVERSAL_CAPABILITY) {
        fail(
          'invalid-input',
          "granting '*' at creation confers universal admin; use caps.grant with unsafe_admin = true",
        );
      }
      grants.push(cap.value);
    }
    const profile = makeProfile({
      groups: kind.groups.length === 0 ? ['agent'] : [...kind.groups],
      grants,
    });
    const home = this.s.home.principal(principal);
    const homeExisted = existsSync(home.root);
    home.ensureSync();
    let userId: string;
    try {
      const user = this.s.identity.createUser(principal);
      this.s.identity.link('cli', principal, user.id, 'system');
      this.save(principal, profile);
      userId = user.id;
    } catch (e) {
      if (!homeExisted) rmSync(home.root, { recursive: true, force: true });
      throw e;
    }
    this.inheritFromDefault(principal);
    return { status: 'Success', data: { principal, astrid_user_id: userId } };
  }

  /**
   * Best effort: a new principal starts with the operator's capsule
   * configuration — env files, capsule KV namespaces and capsule secrets of
   * `default`. Failures are logged, never fatal (the principal exists).
   */
  private inheritFromDefault(principal: PrincipalId): void {
    const log = this.s.logger;
    try {
      const from = this.s.home.principal(DEFAULT_PRINCIPAL).envDir;
      const to = this.s.home.principal(principal).envDir;
      if (existsSync(from)) {
        for (const name of readdirSync(from)) {
          if (name.endsWith('.env.json') && statSync(join(from, name)).isFile())
            copyFileSync(join(from, name), join(to, name));
        }
      }
    } catch (e) {
      log.warn({ principal, err: (e as Error).message }, 'could not copy env files from default');
    }
    try {
      const prefix = `${DEFAULT_PRINCIPAL}:capsule:`;
      for (const ns of this.s.kv.namespacesWithPrefix(prefix)) {
        const target = `${principal}:capsule:${ns.slice(prefix.length)}`;
        for (const key of this.s.kv.listKeys(ns)) {
          const value = this.s.kv.get(ns, key);
          if (value !== null) this.s.kv.set(target, key, value);
        }
      }
    } catch (e) {
      log.warn({ principal, err: (e as Error).message }, 'could not copy capsule KV from default');
    }
    try {
      const from = join(this.s.home.secretsDir, DEFAULT_PRINCIPAL);
      if (existsSync(from)) {
        for (const capsule of readdirSync(from)) {
          const dir = join(from, capsule);
          if (!statSync(dir).isDirectory()) continue;
          const target = join(this.s.home.secretsDir, principal, capsule);
          mkdirSync(target, { recursive: true, mode: 0o700 });
          for (const key of readdirSync(dir)) {
            if (!key.startsWith('.') && statSync(join(dir, key)).isFile())
              copyFileSync(join(dir, key), join(target, key));
          }
        }
      }
    } catch (e) {
      log.warn(
        { principal, err: (e as Error).message },
        'could not copy capsule secrets from default',
      );
    }
  }

  private agentDelete(raw: string): AdminBody {
    const principal = principalArg(raw);
    if (principal === DEFAULT_PRINCIPAL)
      fail('invalid-input', 'the default principal cannot be deleted');
    this.existing(principal);
    const link = this.s.identity.resolve('cli', principal);
    if (link !== null) {
      this.s.identity.unlink('cli', principal);
      this.s.identity.deleteUser(link.astrid_user_id);
    }
    this.s.profiles.delete(principal);
    this.s.profileCache.invalidate(principal);
    this.s.allowances.clearPrincipal(principal);
    return { status: 'Success', data: { principal } };
  }

  private agentSetEnabled(raw: string, enabled: boolean): AdminBody {
    const principal = principalArg(raw);
    if (!enabled && principal === DEFAULT_PRINCIPAL)
      fail('invalid-input', 'the default principal cannot be disabled');
    const profile = this.existing(principal);
    const changed = profile.enabled !== enabled;
    if (changed) this.save(principal, makeProfile({ ...profile, enabled }));
    else this.s.profileCache.invalidate(principal);
    return { status: 'Success', data: { principal, enabled, changed } };
  }

  private agentModify(kind: Extract<AdminKind, { method: 'AgentModify' }>): AdminBody {
    const principal = principalArg(kind.principal);
    if (kind.add_groups.length === 0 && kind.remove_groups.length === 0) {
      fail(
        'invalid-input',
        'AgentModify: nothing to change (add_groups and remove_groups are both empty)',
      );
    }
    for (const g of [...kind.add_groups, ...kind.remove_groups]) {
      const name = checkGroupName(g);
      if (!name.ok) throw name.error;
    }
    const profile = this.existing(principal);
    const groups = profile.groups.filter((g) => !kind.remove_groups.includes(g));
    for (const g of kind.add_groups) if (!groups.includes(g)) groups.push(g);
    const before = new Set(profile.groups);
    const changed = groups.length !== before.size || groups.some((g) => !before.has(g));
    if (changed) this.save(principal, makeProfile({ ...profile, groups }));
    else this.s.profileCache.invalidate(principal);
    return { status: 'Success', data: { principal, groups, changed } };
  }

  private agentList(caller: PrincipalId): AdminBody {
    const groups = this.s.groups.current();
    const seesAll = new CapabilityCheck(
      this.s.profileCache.resolveSync(caller),
      groups,
      caller,
    ).has('agent:list');
    const rows: Json[] = [];
    for (const principal of this.s.profiles.list()) {
      if (!seesAll && principal !== caller) continue;
      let profile: Profile;
      try {
        profile = this.s.profileCache.resolveSync(principal);
      } catch (e) {
        this.s.logger.warn(
          { principal, err: (e as Error).message },
          'skipping an unreadable profile',
        );
        continue;
      }
      rows.push({
        principal,
        enabled: profile.enabled,
        groups: [...profile.groups],
        grants: [...profile.grants],
        revokes: [...profile.revokes],
      });
    }
    return { status: 'AgentList', data: rows };
  }

  private quotaSet(kind: Extract<AdminKind, { method: 'QuotaSet' }>): AdminBody {
    const principal = principalArg(kind.principal);
    const quotas = quotasFromWire(kind.quotas);
    if (!quotas.ok) fail('invalid-input', `quotas rejected: ${quotas.error.message}`);
    const profile = this.existing(principal);
    this.save(principal, makeProfile({ ...profile, quotas: quotas.value }));
    return { status: 'Success', data: { principal } };
  }

  private usage(principal: PrincipalId): AdminBody {
    const profile = this.existing(principal);
    const exempt = new CapabilityCheck(profile, this.s.groups.current(), principal).hasAny(
      EXEMPT_CAPABILITIES,
    );
    const peak = this.s.ledgers.memory.peak(principal) ?? 0;
    return {
      status: 'Usage',
      data: {
        principal,
        cpu_fuel_consumed_total: Number(this.s.ledgers.fuel.total(principal)),
        cpu_fuel_per_sec_limit: profile.quotas.maxCpuFuelPerSec,
        exempt,
        memory_bytes_limit_per_instance: profile.quotas.maxMemoryBytes,
        memory_bytes_current_total: null,
        memory_bytes_peak_total: peak === 0 ? null : peak,
      },
    };
  }

  private capsChange(
    raw: string,
    capabilities: string[],
    op: 'grant' | 'revoke',
    unsafeAdmin: boolean,
  ): AdminBody {
    const principal = principalArg(raw);
    if (capabilities.length === 0) fail('invalid-input', 'capabilities must not be empty');
    const caps: Capability[] = [];
    for (const c of capabilities) {
      const cap = checkCapability(c);
      if (!cap.ok)
        fail('invalid-input', `capability ${JSON.stringify(c)} rejected: ${cap.error.message}`);
      caps.push(cap.value);
    }
    if (op === 'grant' && caps.includes(UNIVERSAL_CAPABILITY) && !unsafeAdmin) {
      fail(
        'invalid-input',
        "granting '*' confers universal admin; set unsafe_admin = true to do it deliberately",
      );
    }
    if (op === 'revoke' && principal === DEFAULT_PRINCIPAL) {
      fail(
        'invalid-input',
        'revoking capabilities from the default principal is not allowed (it could lock every administrator out)',
      );
    }
    const profile = this.existing(principal);
    const list = op === 'grant' ? [...profile.grants] : [...profile.revokes];
    const before = list.length;
    for (const c of caps) if (!list.includes(c)) list.push(c);
    if (list.length !== before) {
      this.save(
        principal,
        makeProfile({ ...profile, ...(op === 'grant' ? { grants: list } : { revokes: list }) }),
      );
    }
    return { status: 'Success', data: { principal, capabilities: caps } };
  }

  private inviteIssue(kind: Extract<AdminKind, { method: 'InviteIssue' }>): AdminBody {
    if (kind.max_uses === 0) fail('invalid-input', 'max_uses must be at least 1');
    if (kind.max_uses > 0xffff_ffff) fail('invalid-input', 'max_uses must fit in 32 bits');
    if (kind.expires_secs === 0)
      fail(
        'invalid-input',
        'expires_secs must be at least 1 (omit it for an invite that never expires)',
      );
    if (kind.expires_secs !== undefined && kind.expires_secs > INVITE_MAX_EXPIRES_SECS) {
      fail(
        'invalid-input',
        `expires_secs ${kind.expires_secs} is over the maximum of ${INVITE_MAX_EXPIRES_SECS} (30 days)`,
      );
    }
    if (!this.s.groups.current().has(kind.group))
      fail('not-found', `group ${JSON.stringify(kind.group)} does not exist`);
    const now = this.s.nowEpoch();
    const token = newToken();
    const expiresAt = kind.expires_secs === undefined ? null : now + kind.expires_secs;
    this.s.invites.prune(now);
    this.s.invites.insert({
      tokenHash: tokenHash(token),
      group: kind.group,
      remainingUses: kind.max_uses,
      expiresAtEpoch: expiresAt,
      issuedAtEpoch: now,
      metadata: kind.metadata ?? null,
    });
    return {
      status: 'Invite',
      data: {
        token,
        group: kind.group,
        remaining_uses: kind.max_uses,
        ...(expiresAt === null ? {} : { expires_at_epoch: expiresAt }),
        ...(kind.metadata === undefined ? {} : { metadata: kind.metadata }),
      },
    };
  }

  private allocatePrincipal(displayName: string | undefined): PrincipalId {
    if (displayName !== undefined) {
      const slug = slugifyDisplayName(displayName);
      if (slug === DEFAULT_PRINCIPAL) fail('invalid-input', 'display_name "default" is reserved');
      const checked = checkPrincipalId(slug);
      if (slug.length > 0 && checked.ok && !this.s.profiles.exists(checked.value))
        return checked.value;
    }
    for (let i = 0; i < RANDOM_ID_ATTEMPTS; i++) {
      const candidate = `agent-${randomBytes(4).toString('hex')}` as PrincipalId;
      if (!this.s.profiles.exists(candidate)) return candidate;
    }
    return fail('conflict', 'could not allocate a principal id; try again');
  }

  private inviteRedeem(kind: Extract<AdminKind, { method: 'InviteRedeem' }>): AdminBody {
    const key = normalizePublicKey(kind.public_key);
    if (key === null)
      fail(
        'invalid-input',
        'public_key must be an ed25519 key: 64 hex characters, optionally prefixed "ed25519:"',
      );
    const now = this.s.nowEpoch();
    const hash = tokenHash(kind.token);
    this.s.invites.prune(now);
    const invite = this.s.invites.find(hash);
    if (invite === null) fail('not-found', 'invite token invalid, expired, or already consumed');
    const principal = this.allocatePrincipal(kind.display_name);
    const profile = makeProfile({
      groups: [invite.group],
      auth: { methods: ['keypair'], publicKeys: [key] },
    });
    const home = this.s.home.principal(principal);
    const homeExisted = existsSync(home.root);
    home.ensureSync();
    try {
      const user = this.s.identity.createUser(principal);
      this.s.identity.link('cli', principal, user.id, 'system');
      this.save(principal, profile);
      this.s.invites.consume(hash, invite.remainingUses);
    } catch (e) {
      if (!homeExisted) rmSync(home.root, { recursive: true, force: true });
      throw e;
    }
    return {
      status: 'InviteRedeemed',
      data: { principal, group: invite.group, public_key_fingerprint: publicKeyFingerprint(key) },
    };
  }

  private inviteList(): AdminBody {
    const now = this.s.nowEpoch();
    this.s.invites.prune(now);
    const invites = this.s.invites.list();
    return {
      status: 'InviteList',
      data: invites.map((i) => ({
        token_fingerprint: i.tokenHash,
        group: i.group,
        remaining_uses: i.remainingUses,
        ...(i.expiresAtEpoch === null ? {} : { expires_at_epoch: i.expiresAtEpoch }),
        issued_at_epoch: i.issuedAtEpoch,
        ...(i.metadata === null ? {} : { metadata: i.metadata as Json }),
      })),
    };
  }

  private inviteRevoke(token: string): AdminBody {
    const candidates = new Set([tokenHash(token)]);
    if (/^[0-9a-fA-F]{64}$/.test(token)) candidates.add(token.toLowerCase());
    const removed = [...candidates].filter((h) => this.s.invites.delete(h)).length;
    if (removed === 0) fail('not-found', 'no invite matches the supplied token or fingerprint');
    return { status: 'Success', data: { removed } };
  }

  private pairIssue(
    kind: Extract<AdminKind, { method: 'PairDeviceIssue' }>,
    caller: PrincipalId,
  ): AdminBody {
    const lifetime = kind.expires_secs ?? PAIR_DEFAULT_EXPIRES_SECS;
    if (lifetime === 0) fail('invalid-input', 'expires_secs must be at least 1');
    if (lifetime > PAIR_MAX_EXPIRES_SECS)
      fail(
        'invalid-input',
        `expires_secs ${lifetime} is over the maximum of ${PAIR_MAX_EXPIRES_SECS} (1 hour)`,
      );
    this.existing(caller);
    const now = this.s.nowEpoch();
    const token = newToken();
    this.s.pairTokens.prune(now);
    this.s.pairTokens.insert({
      tokenHash: tokenHash(token),
      principal: caller,
      expiresAtEpoch: now + lifetime,
      issuedAtEpoch: now,
      label: kind.label ?? null,
    });
    return {
      status: 'PairToken',
      data: {
        token,
        principal: caller,
        expires_at_epoch: now + lifetime,
        ...(kind.label === undefined ? {} : { label: kind.label }),
      },
    };
  }

  private pairRedeem(kind: Extract<AdminKind, { method: 'PairDeviceRedeem' }>): AdminBody {
    const key = normalizePublicKey(kind.public_key);
    if (key === null)
      fail(
        'invalid-input',
        'public_key must be an ed25519 key: 64 hex characters, optionally prefixed "ed25519:"',
      );
    const now = this.s.nowEpoch();
    const hash = tokenHash(kind.token);
    this.s.pairTokens.prune(now);
    const token = this.s.pairTokens.find(hash);
    if (token === null) fail('not-found', 'pair-device token invalid or expired');
    const principal = token.principal;
    const profile = this.s.profileCache.stored(principal);
    if (profile === null) fail('not-found', `principal ${principal} no longer exists`);
    const publicKeys = profile.auth.publicKeys.includes(key)
      ? [...profile.auth.publicKeys]
      : [...profile.auth.publicKeys, key];
    const methods = profile.auth.methods.includes('keypair')
      ? [...profile.auth.methods]
      : [...profile.auth.methods, 'keypair' as const];
    this.save(principal, makeProfile({ ...profile, auth: { methods, publicKeys } }));
    this.s.pairTokens.delete(hash);
    return {
      status: 'PairTokenRedeemed',
      data: { principal, public_key_fingerprint: publicKeyFingerprint(key) },
    };
  }
}
