import type { GroupConfig } from '../../core/groups/group-config.js';
import type { GroupStore } from '../../storage/groups/group-store.js';

/**
 * The live group configuration. Readers take `current()` once per decision;
 * an edit persists the new config and then swaps it in, so in-flight checks
 * finish on the config they started with.
 */
export class GroupRegistry {
  private config: GroupConfig;
  private readonly store: GroupStore;

  constructor(store: GroupStore) {
    this.store = store;
    this.config = store.load();
  }

  current(): GroupConfig {
    return this.config;
  }

  /** Persists `next` (inside the caller's transaction, if any) and makes it live. */
  replace(next: GroupConfig): void {
    this.store.save(next);
    this.config = next;
  }
}
