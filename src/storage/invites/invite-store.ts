import type { StateDatabase } from '../db/state-database.js';

export interface Invite {
  readonly tokenHash: string;
  readonly group: string;
  readonly remainingUses: number;
  readonly expiresAtEpoch: number | null;
  readonly issuedAtEpoch: number;
  readonly metadata: Record<string, unknown> | null;
}

interface Row {
  token_hash: string;
  group_name: string;
  remaining_uses: number;
  expires_at: number | null;
  issued_at: number;
  metadata: string | null;
}

function fromRow(r: Row): Invite {
  return {
    tokenHash: r.token_hash,
    group: r.group_name,
    remainingUses: r.remaining_uses,
    expiresAtEpoch: r.expires_at,
    issuedAtEpoch: r.issued_at,
    metadata: r.metadata === null ? null : (JSON.parse(r.metadata) as Record<string, unknown>),
  };
}

/** Invites, stored by token hash only. */
export class InviteStore {
  private readonly stmts;

  constructor(db: StateDatabase) {
    const d = db.db;
    this.stmts = {
      insert: d.prepare(
        'INSERT INTO invites (token_hash, group_name, remaining_uses, expires_at, issued_at, metadata) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      get: d.prepare('SELECT * FROM invites WHERE token_hash = ?'),
      list: d.prepare('SELECT * FROM invites ORDER BY issued_at, token_hash'),
      prune: d.prepare(
        'DELETE FROM invites WHERE remaining_uses <= 0 OR (expires_at IS NOT NULL AND expires_at <= ?)',
      ),
      setUses: d.prepare('UPDATE invites SET remaining_uses = ? WHERE token_hash = ?'),
      delete: d.prepare('DELETE FROM invites WHERE token_hash = ?'),
    };
  }

  insert(invite: Invite): void {
    this.stmts.insert.run(
      invite.tokenHash,
      invite.group,
      invite.remainingUses,
      invite.expiresAtEpoch,
      invite.issuedAtEpoch,
      invite.metadata === null ? null : JSON.stringify(invite.metadata),
    );
  }

  /** Removes used-up and expired invites; returns how many. */
  prune(nowEpoch: number): number {
    return this.stmts.prune.run(nowEpoch).changes;
  }

  /** A live invite by token hash (after pruning), or null. */
  find(hash: string): Invite | null {
    const row = this.stmts.get.get(hash) as Row | undefined;
    return row === undefined ? null : fromRow(row);
  }

  list(): Invite[] {
    return (this.stmts.list.all() as Row[]).map(fromRow);
  }

  /** Uses one; the invite is removed when none are left. */
  consume(hash: string, remainingBefore: number): void {
    if (remainingBefore <= 1) this.stmts.delete.run(hash);
    else this.stmts.setUses.run(remainingBefore - 1, hash);
  }

  /** Whether an invite was removed. */
  delete(hash: string): boolean {
    return this.stmts.delete.run(hash).changes > 0;
  }
}
