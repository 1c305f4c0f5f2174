import { AstridError, unwrap } from '../../core/errors.js';
import { isPrincipalId, type PrincipalId } from '../../core/ids/principal-id.js';
import {
  checkProfile,
  type Profile,
  profileFromWire,
  profileToWire,
} from '../../core/profiles/profile.js';
import type { StateDatabase } from '../db/state-database.js';

/**
 * Principals and their profiles (one row per principal; the profile in its
 * wire form as JSON). A principal "exists" when it has a row; a principal
 * without one resolves to the default profile but is not listed.
 */
export class ProfileStore {
  private readonly db: StateDatabase;
  private readonly stmts;

  constructor(db: StateDatabase) {
    this.db = db;
    const d = db.db;
    this.stmts = {
      get: d.prepare('SELECT profile FROM principals WHERE id = ?').pluck(),
      upsert: d.prepare(
        `INSERT INTO principals (id, profile, created_at, updated_at) VALUES (@id, @profile, @now, @now)
         ON CONFLICT (id) DO UPDATE SET profile = excluded.profile, updated_at = excluded.updated_at`,
      ),
      delete: d.prepare('DELETE FROM principals WHERE id = ?'),
      list: d.prepare('SELECT id FROM principals ORDER BY id').pluck(),
    };
  }

  /** The stored profile, or null when the principal has none. A corrupt row is an `integrity` error. */
  get(principal: PrincipalId): Profile | null {
    const raw = this.stmts.get.get(principal) as string | undefined;
    if (raw === undefined) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      throw new AstridError('integrity', `the stored profile of ${principal} is not JSON`, {
        cause: e,
      });
    }
    const profile = profileFromWire(parsed);
    if (!profile.ok) {
      throw new AstridError(
        'integrity',
        `the stored profile of ${principal} is invalid: ${profile.error.message}`,
      );
    }
    return profile.value;
  }

  /** Whether a transaction is open on the database (its writes may still roll back). */
  get inTransaction(): boolean {
    return this.db.db.inTransaction;
  }

  exists(principal: PrincipalId): boolean {
    return this.stmts.get.get(principal) !== undefined;
  }

  /** Validates, then writes (insert or replace). */
  save(principal: PrincipalId, profile: Profile): void {
    const checked = unwrap(checkProfile(profile));
    this.stmts.upsert.run({
      id: principal,
      profile: JSON.stringify(profileToWire(checked)),
      now: Date.now(),
    });
  }

  /** Whether a row was deleted. */
  delete(principal: PrincipalId): boolean {
    return this.stmts.delete.run(principal).changes > 0;
  }

  /** Every principal with a stored profile, sorted. */
  list(): PrincipalId[] {
    return (this.stmts.list.all() as string[]).filter(isPrincipalId);
  }
}
