import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import { ed25519Sign, privateKeyFromSeed } from '../../storage/keys/ed25519.js';
import {
  type BearerClaims,
  claimsOf,
  decodeBearer,
  encodeBearer,
  expiryFor,
  signedMessage,
} from './bearer-codec.js';
import { loadOrCreateSigningSeed } from './signing-key.js';

export type { BearerClaims } from './bearer-codec.js';

/** A freshly minted bearer and the times it carries. */
export interface MintedBearer {
  readonly token: string;
  readonly principal: PrincipalId;
  readonly iat: number;
  readonly exp: number;
}

/**
 * Mints and verifies v2 session bearers with the gateway's ed25519 key.
 * Verification answers null for every failure alike (the caller sends a
 * bare 401); revocation is checked separately against the revocation store.
 */
/** How many verified tokens are remembered (the cache is dropped whole when full). */
export const VERIFIED_CACHE_SIZE = 10_000;

export class BearerTokens {
  readonly lifetimeSecs: number;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly now: () => number;
  /**
   * Tokens whose signature already verified (an ed25519 verify costs more
   * than the rest of an authenticated request). Only the signature check is
   * remembered: expiry is re-checked on every use, revocation by the caller.
   */
  private readonly verified = new Map<string, ReturnType<typeof decodeBearer>>();

  constructor(seed: Uint8Array, lifetimeSecs: number, now: () => number) {
    this.privateKey = privateKeyFromSeed(seed);
    this.publicKey = createPublicKey(this.privateKey);
    this.lifetimeSecs = lifetimeSecs;
    this.now = now;
  }

  static async load(keysDir: string, lifetimeSecs: number, now: () => number) {
    return new BearerTokens(await loadOrCreateSigningSeed(keysDir), lifetimeSecs, now);
  }

  mint(principal: PrincipalId, lifetimeSecs: number = this.lifetimeSecs): MintedBearer {
    const iat = this.now();
    const exp = expiryFor(iat, lifetimeSecs);
    const signature = ed25519Sign(this.privateKey, signedMessage(principal, iat, exp));
    return { token: encodeBearer(principal, iat, exp, signature), principal, iat, exp };
  }

  /** The claims of a well-formed, correctly signed, unexpired token; else null. */
  verify(token: string): BearerClaims | null {
    const known = this.verified.get(token);
    if (known !== undefined && known !== null) return claimsOf(known, this.now());
    const decoded = decodeBearer(token);
    if (decoded === null) return null;
    let valid: boolean;
    try {
      valid = verify(null, decoded.message, this.publicKey, decoded.signature);
    } catch {
      valid = false;
    }
    if (!valid) return null;
    const claims = claimsOf(decoded, this.now());
    if (claims !== null) {
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
      this.verified.set(token, decoded);
    }
    return claims;
  }
}
