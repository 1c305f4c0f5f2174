import type { Ledgers } from '../../capsule/ledgers/ledgers.js';
import type { Logger } from '../../core/logger.js';
import type { AllowanceStore } from '../../storage/approvals/allowance-store.js';
import type { AuditLog } from '../../storage/audit/audit-log.js';
import type { StateDatabase } from '../../storage/db/state-database.js';
import type { AstridHome } from '../../storage/home/astrid-home.js';
import type { IdentityStore } from '../../storage/identity/identity-store.js';
import type { InviteStore } from '../../storage/invites/invite-store.js';
import type { PairTokenStore } from '../../storage/invites/pair-token-store.js';
import type { KvStore } from '../../storage/kv/kv-store.js';
import type { ProfileCache } from '../../storage/principals/profile-cache.js';
import type { ProfileStore } from '../../storage/principals/profile-store.js';
import type { GroupRegistry } from './group-registry.js';

/** Everything the kernel's request handlers read and write. */
export interface KernelState {
  readonly home: AstridHome;
  readonly db: StateDatabase;
  readonly kv: KvStore;
  readonly profiles: ProfileStore;
  readonly profileCache: ProfileCache;
  readonly groups: GroupRegistry;
  readonly invites: InviteStore;
  readonly pairTokens: PairTokenStore;
  readonly identity: IdentityStore;
  /** Standing approval allowances (session ones in memory, "always" ones in the database). */
  readonly allowances: AllowanceStore;
  readonly audit: AuditLog;
  readonly ledgers: Ledgers;
  readonly logger: Logger;
  /** Wall clock in whole seconds since the epoch (injectable for tests). */
  readonly nowEpoch: () => number;
}
