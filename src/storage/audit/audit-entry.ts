import { canonicalJson } from './canonical-json.js';

export const ZERO_HASH_HEX = '0'.repeat(64);
export const NIL_SESSION = '00000000-0000-0000-0000-000000000000';

/** What was done. The kernel writes `admin_request`; other layers add their own kinds. */
export type AuditAction =
  | {
      readonly type: 'admin_request';
      readonly method: string;
      readonly required_capability: string;
      readonly target_principal: string | null;
      readonly params: unknown;
    }
  | {
      readonly type: 'security_violation';
      readonly violation_type: string;
      readonly details: string;
    }
  | { readonly type: 'approval_requested'; readonly action_type: string; readonly resource: string }
  | {
      readonly type: 'approval_granted';
      readonly action: string;
      readonly resource: string | null;
      readonly scope: 'once' | 'session' | 'always';
    }
  | { readonly type: 'approval_denied'; readonly action: string; readonly reason: string | null }
  | { readonly type: 'config_reloaded' };

/** Why it was allowed (or that it was not). */
export type AuthorizationProof =
  | { readonly type: 'system'; readonly reason: string }
  | { readonly type: 'denied'; readonly reason: string }
  | { readonly type: 'not_required'; readonly reason: string };

export type AuditOutcome =
  | { readonly status: 'success'; readonly details: string | null }
  | { readonly status: 'failure'; readonly error: string };

/** One signed, chained audit entry (the JSON form stored and served). */
export interface AuditEntry {
  readonly id: string;
  readonly timestamp: string;
  readonly session_id: string;
  readonly principal?: string;
  readonly action: AuditAction;
  readonly authorization: AuthorizationProof;
  readonly outcome: AuditOutcome;
  /** Hex BLAKE3 of the previous entry of the same chain; zeros for a genesis entry. */
  readonly previous_hash: string;
  /** Base64 of the signer's 32-byte ed25519 public key. */
  readonly runtime_key: string;
  /** Base64 of the 64-byte signature over `signingBytes`. */
  readonly signature: string;
}

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replaceAll('-', '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a UUID: ${uuid}`);
  return Buffer.from(hex, 'hex');
}

/** Chain key: entries chain per (session, principal); the system has its own chain. */
export function chainKey(sessionId: string, principal: string | undefined): string {
  return principal === undefined ? sessionId : `${sessionId}:${principal}`;
}

/**
 * The bytes an entry's signature covers: id (16), timestamp seconds (i64
 * LE), session (16), principal block (0x00, or 0xFF + u32 LE length +
 * UTF-8), canonical JSON of action and authorization, the outcome bit,
 * previous hash (32), signer key (32). Outcome details are not signed.
 */
export function signingBytes(entry: Omit<AuditEntry, 'signature'>): Buffer {
  const seconds = Buffer.alloc(8);
  seconds.writeBigInt64LE(BigInt(Math.floor(Date.parse(entry.timestamp) / 1000)));
  let principal: Buffer;
  if (entry.principal === undefined) principal = Buffer.from([0]);
  else {
    const bytes = Buffer.from(entry.principal, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32LE(bytes.length);
    principal = Buffer.concat([Buffer.from([0xff]), len, bytes]);
  }
  return Buffer.concat([
    uuidBytes(entry.id),
    seconds,
    uuidBytes(entry.session_id),
    principal,
    Buffer.from(canonicalJson(entry.action), 'utf8'),
    Buffer.from(canonicalJson(entry.authorization), 'utf8'),
    Buffer.from([entry.outcome.status === 'success' ? 1 : 0]),
    Buffer.from(entry.previous_hash, 'hex'),
    Buffer.from(entry.runtime_key, 'base64'),
  ]);
}

/** The flat view of an `admin_request` entry (live feed and query results). */
export interface AdminAuditView {
  readonly ts_epoch: number;
  readonly method: string;
  readonly required_capability: string;
  readonly principal: string | null;
  readonly target_principal: string | null;
  readonly params: unknown;
  readonly outcome: 'success' | 'failure';
}

export function adminView(entry: Omit<AuditEntry, 'signature'>): AdminAuditView | null {
  if (entry.action.type !== 'admin_request') return null;
  return {
    ts_epoch: Math.floor(Date.parse(entry.timestamp) / 1000),
    method: entry.action.method,
    required_capability: entry.action.required_capability,
    principal: entry.principal ?? null,
    target_principal: entry.action.target_principal,
    params: entry.action.params,
    outcome: entry.outcome.status,
  };
}
