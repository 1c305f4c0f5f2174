import type { PrincipalId } from '../../core/ids/principal-id.js';
import type { StateDatabase } from '../db/state-database.js';

export interface PairToken {
  readonly tokenHash: string;
  readonly principal: PrincipalId;
  readonly expiresAtEpoch: number;
  readonly issuedAtEpoch: number;
  readonly label: string | null;
}

interface Row {
  token_hash: string;
  principal: string;
  expires_at: number;
  issued_at: number;
  label: string | null;
}

/** Single-use pair-device tokens, stored by hash. */
export class PairTokenStore {
  private readonly stmts;

  constructor(db: StateDatabase) {
    const d = db.db;
    this.stmts = {
      insert: d.prepare(
        'INSERT INTO pair_tokens (token_hash, principal, expires_at, issued_at, label) VALUES (?, ?, ?, ?, ?)',
      ),
      get: d.prepare('SELECT * FROM pair_tokens WHERE token_hash = ?'),
      prune: d.prepare('DELETE FROM pair_tokens WHERE expires_at <= ?'),
      delete: d.prepare('DELETE FROM pair_tokens WHERE token_hash = ?'),
    };
  }

  insert(token: PairToken): void {
    this.stmts.insert.run(
      token.tokenHash,
      token.principal,
      token.expiresAtEpoch,
      token.issuedAtEpoch,
      token.label,
    );
  }

  prune(nowEpoch: number): number {
    return this.stmts.prune.run(nowEpoch).changes;
  }

  find(hash: string): PairToken | null {
    const r = this.stmts.get.get(hash) as Row | undefined;
    if (r === undefined) return null;
    return {
      tokenHash: r.token_hash,
      principal: r.principal as PrincipalId,
      expiresAtEpoch: r.expires_at,
      issuedAtEpoch: r.issued_at,
      label: r.label,
    };
  }

  delete(hash: string): boolean {
    return this.stmts.delete.run(hash).changes > 0;
  }
}
