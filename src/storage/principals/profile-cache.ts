import type { PrincipalId } from '../../core/ids/principal-id.js';
import { DEFAULT_PROFILE, type Profile } from '../../core/profiles/profile.js';
import type { ProfileStore } from './profile-store.js';

/**
 * Resolved profiles, shared by the kernel and the capsule runtime. A missing
 * profile resolves to (and caches) the default; a corrupt one throws and is
 * not cached. Writers call `invalidate` after every change.
 */
export class ProfileCache {
  private readonly store: ProfileStore;
  private readonly cache = new Map<PrincipalId, Profile>();

  constructor(store: ProfileStore) {
    this.store = store;
  }

  resolveSync(principal: PrincipalId): Profile {
    const cached = this.cache.get(principal);
    if (cached !== undefined) return cached;
    const profile = this.store.get(principal) ?? DEFAULT_PROFILE;
    this.cache.set(principal, profile);
    return profile;
  }

  /** The async form the capsule runtime's `ProfileSource` expects. */
  async resolve(principal: PrincipalId): Promise<Profile> {
    return this.resolveSync(principal);
  }

  invalidate(principal: PrincipalId): void {
    this.cache.delete(principal);
  }

  clear(): void {
    this.cache.clear();
  }
}
