import type { StateDatabase } from '../db/state-database.js';

export interface AllowanceKey {
  readonly principal: string;
  readonly capsule: string;
  readonly action: string;
  readonly resource: string;
}

export type AllowanceScope = 'session' | 'always';

function keyOf(k: AllowanceKey): string {
  return JSON.stringify([k.principal, k.capsule, k.action, k.resource]);
}

/**
 * Standing approvals: an "always" decision is stored in the database and
 * survives restarts; a "session" decision lives in memory until the
 * principal's last client disconnects. Both match only an identical request
 * (same principal, capsule, action and resource).
 */
export class AllowanceStore {
  private readonly session = new Map<string, Set<string>>();
  private readonly stmts;

  constructor(db: StateDatabase) {
    const d = db.db;
    this.stmts = {
      get: d
        .prepare(
          'SELECT 1 FROM approval_allowances WHERE principal = ? AND capsule = ? AND action = ? AND resource = ?',
        )
        .pluck(),
      put: d.prepare(
        `INSERT INTO approval_allowances (principal, capsule, action, resource, granted_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET granted_at = excluded.granted_at`,
      ),
      forPrincipal: d.prepare('DELETE FROM approval_allowances WHERE principal = ?'),
      list: d.prepare(
        'SELECT principal, capsule, action, resource, granted_at FROM approval_allowances WHERE principal = ? ORDER BY capsule, action, resource',
      ),
    };
  }

  /** Which standing allowance covers this request, if any. */
  find(k: AllowanceKey): AllowanceScope | null {
    if (this.session.get(k.principal)?.has(keyOf(k))) return 'session';
    return this.stmts.get.get(k.principal, k.capsule, k.action, k.resource) === undefined
      ? null
      : 'always';
  }

  grant(k: AllowanceKey, scope: AllowanceScope, nowMs = Date.now()): void {
    if (scope === 'always') {
      this.stmts.put.run(k.principal, k.capsule, k.action, k.resource, nowMs);
      return;
    }
    let set = this.session.get(k.principal);
    if (set === undefined) {
      set = new Set();
      this.session.set(k.principal, set);
    }
    set.add(keyOf(k));
  }

  /** Forgets a principal's session allowances (its last client disconnected). */
  clearSession(principal: string): number {
    const n = this.session.get(principal)?.size ?? 0;
    this.session.delete(principal);
    return n;
  }

  /** Forgets every allowance of a principal (it was deleted). */
  clearPrincipal(principal: string): void {
    this.clearSession(principal);
    this.stmts.forPrincipal.run(principal);
  }

  listAlways(principal: string): AllowanceKey[] {
    return (this.stmts.list.all(principal) as AllowanceKey[]).map(
      ({ principal: p, capsule, action, resource }) => ({
        principal: p,
        capsule,
        action,
        resource,
      }),
    );
  }
}
