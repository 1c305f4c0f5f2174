import { createHash } from 'node:crypto';
import type { JsonObject } from '../../events/json.js';
import { tokenHash } from '../../storage/invites/token-hash.js';
import type { AdminKind } from './admin-request.js';
import { kindToWire } from './admin-request.js';
import { normalizePublicKey } from './public-key.js';

/**
 * Fingerprint of a public key as shown to users and written to audit rows:
 * SHA-256 hex of the normalised `ed25519:<lowercase hex>` form. One function
 * for both, so they always agree. Input that does not normalise is hashed
 * as given (the request fails anyway, but its audit row stays redacted).
 */
export function publicKeyFingerprint(publicKey: string): string {
  const normalized = normalizePublicKey(publicKey);
  return createHash('sha256')
    .update(normalized ?? publicKey, 'utf8')
    .digest('hex');
}

/**
 * The request as recorded in audit rows and the live feed: invite and pair
 * tokens and public keys never appear, only their fingerprints. Unit kinds
 * record null.
 */
export function redactedParams(kind: AdminKind): JsonObject | null {
  switch (kind.method) {
    case 'AgentList':
    case 'GroupList':
    case 'InviteList':
      return null;
    case 'InviteRedeem':
    case 'PairDeviceRedeem': {
      const { token, public_key, ...rest } = kind;
      const { method, ...params } = rest;
      return {
        method,
        params: {
          ...params,
          token_fingerprint: tokenHash(token),
          public_key_fingerprint: publicKeyFingerprint(public_key),
        },
      };
    }
    case 'InviteRevoke': {
      const fingerprint = /^[0-9a-fA-F]{64}$/.test(kind.token)
        ? kind.token.toLowerCase()
        : tokenHash(kind.token);
      return { method: kind.method, params: { token_fingerprint: fingerprint } };
    }
    default:
      return kindToWire(kind);
  }
}
