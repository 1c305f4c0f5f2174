import { CpuRateLimiter } from '../../capsule/ledgers/cpu-rate-limiter.js';
import { FuelLedger } from '../../capsule/ledgers/fuel-ledger.js';
import { MemoryLedger } from '../../capsule/ledgers/memory-ledger.js';
import { DEFAULT_PRINCIPAL } from '../../core/ids/principal-id.js';
import type { Logger } from '../../core/logger.js';
import { makeProfile } from '../../core/profiles/profile.js';
import { AllowanceStore } from '../../storage/approvals/allowance-store.js';
import type { AuditLog } from '../../storage/audit/audit-log.js';
import type { StateDatabase } from '../../storage/db/state-database.js';
import { GroupStore } from '../../storage/groups/group-store.js';
import type { AstridHome } from '../../storage/home/astrid-home.js';
import { IdentityStore } from '../../storage/identity/identity-store.js';
import { InviteStore } from '../../storage/invites/invite-store.js';
import { PairTokenStore } from '../../storage/invites/pair-token-store.js';
import { KvStore } from '../../storage/kv/kv-store.js';
import { ProfileCache } from '../../storage/principals/profile-cache.js';
import { ProfileStore } from '../../storage/principals/profile-store.js';
import { GroupRegistry } from './group-registry.js';
import type { KernelState } from './kernel-state.js';

/**
 * The kernel's state over an open database and audit log — the stores, the
 * caches, fresh ledgers — with the default principal bootstrapped (see
 * `bootstrapDefaultPrincipal`). The daemon's kernel and the in-process test
 * kernel both start from here.
 */
export async function openKernelState(init: {
  readonly home: AstridHome;
  readonly db: StateDatabase;
  readonly audit: AuditLog;
  readonly logger: Logger;
}): Promise<KernelState> {
  const { home, db } = init;
  const kv = new KvStore(db);
  const profiles = new ProfileStore(db);
  const state: KernelState = {
    home,
    db,
    kv,
    profiles,
    profileCache: new ProfileCache(profiles),
    groups: new GroupRegistry(new GroupStore(db)),
    invites: new InviteStore(db),
    pairTokens: new PairTokenStore(db),
    identity: new IdentityStore(kv),
    allowances: new AllowanceStore(db),
    audit: init.audit,
    ledgers: { fuel: new FuelLedger(), memory: new MemoryLedger(), cpu: new CpuRateLimiter() },
    logger: init.logger,
    nowEpoch: () => Math.floor(Date.now() / 1000),
  };
  bootstrapDefaultPrincipal(state);
  await home.defaultPrincipal.ensure();
  return state;
}

/**
 * Every boot: `default` is the administrator unless an operator has given it
 * an explicit policy (any groups, grants or revokes); the CLI's local user
 * and its `cli/local` link exist.
 */
export function bootstrapDefaultPrincipal(state: KernelState): void {
  const stored = state.profiles.get(DEFAULT_PRINCIPAL);
  if (
    stored === null ||
    (stored.groups.length === 0 && stored.grants.length === 0 && stored.revokes.length === 0)
  ) {
    state.profiles.save(DEFAULT_PRINCIPAL, makeProfile({ ...(stored ?? {}), groups: ['admin'] }));
    state.profileCache.invalidate(DEFAULT_PRINCIPAL);
  }
  if (state.identity.resolve('cli', 'local') === null) {
    state.db.transaction(() => {
      const user = state.identity.createUser('root');
      state.identity.link('cli', 'local', user.id, 'system');
    });
  }
}
