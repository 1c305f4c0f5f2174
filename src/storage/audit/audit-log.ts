import { randomUUID } from 'node:crypto';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import type { StateDatabase } from '../db/state-database.js';
import { syncBlake3 } from '../files/content-hash.js';
import { ed25519Verify } from '../keys/ed25519.js';
import type { RuntimeKey } from '../keys/runtime-key.js';
import type { SigningWorker } from '../keys/signing-worker.js';
import {
  type AdminAuditView,
  type AuditAction,
  type AuditEntry,
  type AuditOutcome,
  type AuthorizationProof,
  adminView,
  chainKey,
  signingBytes,
  ZERO_HASH_HEX,
} from './audit-entry.js';
import { type AuditQuery, encodeCursor, resolveAuditQuery } from './audit-query.js';

export interface AuditRecord {
  /** Null/undefined for a system entry. */
  readonly principal?: PrincipalId | string | null;
  readonly action: AuditAction;
  readonly authorization: AuthorizationProof;
  readonly outcome: AuditOutcome;
}

export type AuditIssueKind =
  | 'invalid-genesis'
  | 'broken-link'
  | 'invalid-signature'
  | 'hash-mismatch'
  | 'unreadable'
  | 'head-mismatch';

export interface AuditIssue {
  readonly kind: AuditIssueKind;
  readonly seq: number | null;
  readonly id: string | null;
  readonly chain: string;
  readonly detail: string;
}

export interface AuditVerification {
  readonly valid: boolean;
  readonly entriesVerified: number;
  readonly chains: number;
  /** The first problem in storage order (null when valid). */
  readonly firstIssue: AuditIssue | null;
  /** Up to 100 problems. */
  readonly issues: readonly AuditIssue[];
}

export interface AuditPage {
  readonly entries: AdminAuditView[];
  readonly next_cursor: string | null;
}

/** An entry as built: chained and hashed; its signature may still be on the way. */
export type UnsignedAuditEntry = Omit<AuditEntry, 'signature'>;

interface Pending {
  readonly unsigned: UnsignedAuditEntry;
  readonly bytes: Uint8Array;
  readonly chain: string;
  readonly hash: string;
  /** Base64; null until signed (here, or by the signing worker). */
  signature: string | null;
  /** Sent to the signing worker and not answered yet. */
  offloaded: boolean;
}

const MAX_ISSUES = 100;
/**
 * Deferred rows are written at the next event-loop check phase or once this
 * many are pending, whichever comes first (a busy promise chain can keep the
 * loop from reaching its check phase for a long time).
 */
export const MAX_PENDING_AUDIT_ROWS = 256;

/**
 * A batch of at least this many deferred rows is signed on the signing
 * worker; smaller ones (light traffic) are signed here, which is quicker
 * than a round trip to another thread.
 */
export const OFFLOAD_MIN_BATCH = 8;

/**
 * The signed, hash-chained audit log in the state database. Each entry is
 * signed with the runtime key and carries the BLAKE3 hash of the previous
 * entry of its chain (one chain per session and principal). Entries are
 * stored in append order; `verify` walks them in that order.
 *
 * `append` writes at once (inside the caller's transaction, if any, so a
 * state change and its audit row commit together). `appendDeferred` chains
 * now and writes with the next batch — for read-only requests, whose rows
 * need not be durable before the answer. A large batch is signed on a
 * worker thread (the signature is not part of the chain, so the chain does
 * not wait for it) and written when the signatures are back. Any immediate
 * append, read or `flush` signs whatever is still unsigned here and writes
 * the pending rows first, so storage order always equals chain order.
 */
export class AuditLog {
  readonly sessionId: string;
  private readonly db: StateDatabase;
  private readonly key: RuntimeKey;
  private readonly hash: (data: Uint8Array) => Uint8Array;
  /** Heads of chains with deferred (not yet stored) entries; everything else is read from storage. */
  private readonly pendingHeads = new Map<string, string>();
  private pending: Pending[] = [];
  private flushScheduled = false;
  private readonly signer: SigningWorker;
  private readonly stmts;

  private constructor(
    db: StateDatabase,
    key: RuntimeKey,
    sessionId: string,
    hash: (data: Uint8Array) => Uint8Array,
  ) {
    this.db = db;
    this.key = key;
    this.sessionId = sessionId;
    this.hash = hash;
    this.signer = key.signingWorker();
    const d = db.db;
    this.stmts = {
      insert: d.prepare(
        `INSERT INTO audit_entries (id, session_id, chain, principal, ts_epoch, action_type, method, entry, content_hash)
         VALUES (@id, @session, @chain, @principal, @ts, @type, @method, @entry, @hash)`,
      ),
      head: d.prepare('SELECT content_hash FROM audit_chain_heads WHERE chain = ?').pluck(),
      setHead: d.prepare(
        `INSERT INTO audit_chain_heads (chain, seq, content_hash) VALUES (?, ?, ?)
         ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, content_hash = excluded.content_hash`,
      ),
      all: d.prepare('SELECT seq, id, chain, entry, content_hash FROM audit_entries ORDER BY seq'),
      count: d.prepare('SELECT COUNT(*) FROM audit_entries').pluck(),
      page: d.prepare(
        `SELECT seq, entry FROM audit_entries
         WHERE action_type = 'admin_request'
           AND (@before IS NULL OR seq < @before)
           AND (@since IS NULL OR ts_epoch >= @since)
           AND (@until IS NULL OR ts_epoch <= @until)
           AND (@method IS NULL OR method = @method)
           AND (@principal IS NULL OR principal = @principal)
         ORDER BY seq DESC LIMIT @limit`,
      ),
    };
  }

  static async open(
    db: StateDatabase,
    key: RuntimeKey,
    sessionId: string,
    onFlushError: (error: unknown, lost: number) => void = () => {},
  ): Promise<AuditLog> {
    const log = new AuditLog(db, key, sessionId, await syncBlake3());
    log.onFlushError = onFlushError;
    return log;
  }

  private onFlushError: (error: unknown, lost: number) => void = () => {};

  /** Signs, chains and stores an entry now. */
  append(record: AuditRecord): AuditEntry {
    return this.db.transaction(() => {
      const next = this.build(record, false);
      this.writePending();
      return this.write(next);
    });
  }

  /**
   * Chains an entry now and stores it, signed, with the next batch (this
   * tick, or when the signing worker answers). Returns the entry without its
   * signature — enough for the live event.
   */
  appendDeferred(record: AuditRecord): UnsignedAuditEntry {
    const next = this.build(record, true);
    this.pending.push(next);
    if (this.pending.length >= MAX_PENDING_AUDIT_ROWS) {
      this.flush();
      return next.unsigned;
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.settle();
      });
    }
    return next.unsigned;
  }

  /**
   * Writes every deferred entry, signing here whatever the worker has not
   * signed yet.
   */
  flush(): void {
    this.writeFront(this.pending.length);
  }

  /** Stops the signing worker after writing what is pending. */
  async close(): Promise<void> {
    this.flush();
    await this.signer.close();
  }

  /** Whether the signing worker thread is running (for tests). */
  get signingWorkerRunning(): boolean {
    return this.signer.running;
  }

  /**
   * The scheduled step for deferred rows: a large unsigned batch goes to the
   * signing worker, a small one is signed here; then whatever is signed at
   * the front of the queue is written (rows behind a batch still at the
   * worker wait for it, so storage order stays chain order).
   */
  private settle(): void {
    const unsigned = this.pending.filter((p) => p.signature === null && !p.offloaded);
    if (unsigned.length >= OFFLOAD_MIN_BATCH && !this.signer.broken) {
      for (const p of unsigned) p.offloaded = true;
      this.signer.sign(unsigned.map((p) => p.bytes)).then(
        (signatures) => {
          unsigned.forEach((p, i) => {
            p.offloaded = false;
            p.signature ??= Buffer.from(signatures[i] as Uint8Array).toString('base64');
          });
          this.writeFront(this.signedPrefix());
        },
        () => {
          // The worker is gone: sign here.
          for (const p of unsigned) p.offloaded = false;
          this.flush();
        },
      );
    } else {
      for (const p of unsigned) p.signature = this.signHere(p.bytes);
    }
    this.writeFront(this.signedPrefix());
  }

  /** How many pending entries, from the oldest, are signed. */
  private signedPrefix(): number {
    let n = 0;
    while (n < this.pending.length && (this.pending[n] as Pending).signature !== null) n++;
    return n;
  }

  /**
   * Writes the first `n` pending entries (signing any still unsigned) in one
   * relaxed commit: they need not be durable before the answer, and the next
   * synced commit makes them so. A failed write drops everything pending
   * (reported through `onFlushError`), so later entries chain from the last
   * stored head and the chain stays verifiable.
   */
  private writeFront(n: number): void {
    if (n === 0 || !this.db.db.open) return;
    const batch = this.pending.slice(0, n);
    const rest = this.pending.slice(n);
    this.pending = rest;
    this.pendingHeads.clear();
    for (const p of rest) this.pendingHeads.set(p.chain, p.hash);
    try {
      this.db.relaxedTransaction(() => this.writeBatch(batch));
    } catch (e) {
      this.pending = [];
      this.pendingHeads.clear();
      this.onFlushError(e, batch.length + rest.length);
    }
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  count(): number {
    return (this.stmts.count.get() as number) + this.pending.length;
  }

  /** Every stored entry in storage order. */
  *entries(): Generator<AuditEntry> {
    this.flush();
    for (const row of this.stmts.all.iterate() as Iterable<{ entry: string }>)
      yield JSON.parse(row.entry) as AuditEntry;
  }

  /** `admin_request` rows as flat views, newest first, one page at a time. */
  query(q: AuditQuery): AuditPage {
    this.flush();
    const r = resolveAuditQuery(q);
    const rows = this.stmts.page.all({ ...r, limit: r.limit + 1 }) as {
      seq: number;
      entry: string;
    }[];
    const more = rows.length > r.limit;
    const page = more ? rows.slice(0, r.limit) : rows;
    const entries = page
      .map((row) => adminView(JSON.parse(row.entry) as AuditEntry))
      .filter((v): v is AdminAuditView => v !== null);
    const last = page.at(-1);
    return { entries, next_cursor: more && last !== undefined ? encodeCursor(last.seq) : null };
  }

  /** See `verifyAuditChain`. */
  verify(): AuditVerification {
    this.flush();
    return verifyRows(this.db, this.hash);
  }

  private build(record: AuditRecord, deferred: boolean): Pending {
    const principal = record.principal ?? undefined;
    const chain = chainKey(this.sessionId, principal);
    const previous = this.headOf(chain);
    const unsigned = {
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      session_id: this.sessionId,
      ...(principal === undefined ? {} : { principal }),
      action: record.action,
      authorization: record.authorization,
      outcome: record.outcome,
      previous_hash: previous,
      runtime_key: Buffer.from(this.key.publicKey).toString('base64'),
    };
    const bytes = signingBytes(unsigned);
    const hash = Buffer.from(this.hash(bytes)).toString('hex');
    if (deferred) this.pendingHeads.set(chain, hash);
    return {
      unsigned,
      bytes,
      chain,
      hash,
      signature: deferred ? null : this.signHere(bytes),
      offloaded: false,
    };
  }

  private signHere(bytes: Uint8Array): string {
    return Buffer.from(this.key.sign(bytes)).toString('base64');
  }

  /**
   * The hash the next entry of `chain` links to. Stored heads are read inside
   * the writing transaction (never cached), so a rolled-back append cannot
   * leave a later entry pointing at a row that was never stored.
   */
  private headOf(chain: string): string {
    const pending = this.pendingHeads.get(chain);
    if (pending !== undefined) return pending;
    const stored = this.stmts.head.get(chain) as string | undefined;
    return stored ?? ZERO_HASH_HEX;
  }

  private writePending(): void {
    const batch = this.pending;
    this.pending = [];
    this.pendingHeads.clear();
    this.writeBatch(batch);
  }

  private writeBatch(batch: readonly Pending[]): void {
    // Each chain's head is set once per batch, to its last row.
    const heads = new Map<string, { seq: number; hash: string }>();
    for (const p of batch) {
      const { seq } = this.insert(p);
      heads.set(p.chain, { seq, hash: p.hash });
    }
    for (const [chain, head] of heads) this.stmts.setHead.run(chain, head.seq, head.hash);
  }

  private write(p: Pending): AuditEntry {
    const { seq, entry } = this.insert(p);
    this.stmts.setHead.run(p.chain, seq, p.hash);
    return entry;
  }

  /** Signs it here if it is not yet, stores the row; returns it and its storage sequence number. */
  private insert(p: Pending): { seq: number; entry: AuditEntry } {
    p.signature ??= this.signHere(p.bytes);
    const e: AuditEntry = { ...p.unsigned, signature: p.signature };
    const info = this.stmts.insert.run({
      id: e.id,
      session: e.session_id,
      chain: p.chain,
      principal: e.principal ?? null,
      ts: Math.floor(Date.parse(e.timestamp) / 1000),
      type: e.action.type,
      method: e.action.type === 'admin_request' ? e.action.method : null,
      entry: JSON.stringify(e),
      hash: p.hash,
    });
    return { seq: Number(info.lastInsertRowid), entry: e };
  }
}

/**
 * Walks every entry in storage order: genesis hashes, links, signatures
 * (against each entry's own key, so a rotated key still verifies) and
 * stored content hashes; then checks each chain's recorded head, which
 * catches a truncated chain.
 */
function verifyRows(
  db: StateDatabase,
  blake3: (data: Uint8Array) => Uint8Array,
): AuditVerification {
  const issues: AuditIssue[] = [];
  let firstIssue: AuditIssue | null = null;
  const note = (issue: AuditIssue) => {
    firstIssue ??= issue;
    if (issues.length < MAX_ISSUES) issues.push(issue);
  };
  const last = new Map<string, string>();
  let verified = 0;
  for (const row of db.db
    .prepare('SELECT seq, id, chain, entry, content_hash FROM audit_entries ORDER BY seq')
    .iterate() as Iterable<{
    seq: number;
    id: string;
    chain: string;
    entry: string;
    content_hash: string;
  }>) {
    let entry: AuditEntry;
    try {
      entry = JSON.parse(row.entry) as AuditEntry;
      if (chainKey(entry.session_id, entry.principal) !== row.chain)
        throw new Error('chain key does not match the entry');
    } catch (e) {
      note({
        kind: 'unreadable',
        seq: row.seq,
        id: row.id,
        chain: row.chain,
        detail: (e as Error).message,
      });
      continue;
    }
    const expected = last.get(row.chain);
    if (expected === undefined && entry.previous_hash !== ZERO_HASH_HEX) {
      note({
        kind: 'invalid-genesis',
        seq: row.seq,
        id: row.id,
        chain: row.chain,
        detail: `first entry of the chain links to ${entry.previous_hash}`,
      });
    } else if (expected !== undefined && entry.previous_hash !== expected) {
      note({
        kind: 'broken-link',
        seq: row.seq,
        id: row.id,
        chain: row.chain,
        detail: `expected previous hash ${expected}, found ${entry.previous_hash}`,
      });
    }
    let bytes: Buffer;
    try {
      bytes = signingBytes(entry);
    } catch (e) {
      note({
        kind: 'unreadable',
        seq: row.seq,
        id: row.id,
        chain: row.chain,
        detail: (e as Error).message,
      });
      continue;
    }
    const ok = ed25519Verify(
      Buffer.from(entry.runtime_key, 'base64'),
      bytes,
      Buffer.from(entry.signature, 'base64'),
    );
    if (!ok)
      note({
        kind: 'invalid-signature',
        seq: row.seq,
        id: row.id,
        chain: row.chain,
        detail: 'the signature does not verify',
      });
    const hash = Buffer.from(blake3(bytes)).toString('hex');
    if (hash !== row.content_hash) {
      note({
        kind: 'hash-mismatch',
        seq: row.seq,
        id: row.id,
        chain: row.chain,
        detail: `stored hash ${row.content_hash}, computed ${hash}`,
      });
    }
    last.set(row.chain, hash);
    verified++;
  }
  const heads = db.db.prepare('SELECT chain, content_hash FROM audit_chain_heads').all() as {
    chain: string;
    content_hash: string;
  }[];
  for (const head of heads) {
    const tail = last.get(head.chain);
    if (tail !== head.content_hash) {
      note({
        kind: 'head-mismatch',
        seq: null,
        id: null,
        chain: head.chain,
        detail:
          tail === undefined
            ? 'the chain has a recorded head but no entries (deleted)'
            : `the chain ends at ${tail} but its recorded head is ${head.content_hash} (truncated)`,
      });
    }
  }
  return {
    valid: firstIssue === null,
    entriesVerified: verified,
    chains: last.size,
    firstIssue,
    issues,
  };
}

/**
 * Verifies the audit chain stored in a database (also one opened read-only
 * by another process while the daemon runs).
 */
export async function verifyAuditChain(db: StateDatabase): Promise<AuditVerification> {
  return verifyRows(db, await syncBlake3());
}
