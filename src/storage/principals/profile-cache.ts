import type { PrincipalId } from '../../core/ids/principal-id.js';
import { DEFAULT_PROFILE, type Profile } from '../../core/profiles/profile.js';
import type { ProfileStore } from './profile-store.js';

/** Principals whose profiles stay cached; beyond this the least recently loaded go. */
export const PROFILE_CACHE_ENTRIES = 10_000;

/**
 * Stored profiles (or their absence), shared by the kernel and the capsule
 * runtime, so authorizing a request does not read and parse a row each
 * time. Writers call `invalidate` after every change. Nothing read inside an
 * open transaction is cached — that transaction may still roll back — and a
 * corrupt row throws and is not cached. The kernel's store is the only
 * writer of the principals table, so the cache cannot go stale behind its
 * back.
 */
export class ProfileCache {
  private readonly store: ProfileStore;
  private readonly capacity: number;
  private readonly cache = new Map<PrincipalId, Profile | null>();

  constructor(store: ProfileStore, capacity = PROFILE_CACHE_ENTRIES) {
    this.store = store;
    this.capacity = capacity;
  }

  /** The stored profile, or null when the principal has none. */
  stored(principal: PrincipalId): Profile | null {
    const cached = this.cache.get(principal);
    if (cached !== undefined) return cached;
    const profile = this.store.get(principal);
    if (!this.store.inTransaction) {
      if (this.cache.size >= this.capacity) {
        const oldest = this.cache.keys().next();
        if (oldest.done !== true) this.cache.delete(oldest.value);
      }
      this.cache.set(principal, profile);
    }
    return profile;
  }

  /** The profile in force: the stored one, or the default for a principal without one. */
  resolveSync(principal: PrincipalId): Profile {
    return this.stored(principal) ?? DEFAULT_PROFILE;
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

  get size(): number {
    return this.cache.size;
  }
}
