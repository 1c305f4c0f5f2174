import { checkPrincipalId, type PrincipalId } from '../../core/ids/principal-id.js';
import { b64urlDecodeStrict, b64urlEncode } from './base64url.js';

/** What a verified bearer says: who, issued at, expires at (unix seconds). */
export interface BearerClaims {
  readonly principal: PrincipalId;
  readonly iat: number;
  readonly exp: number;
}

/** A token taken apart, before its signature and times are checked. */
export interface DecodedBearer {
  readonly principal: string;
  readonly iat: number;
  readonly exp: number;
  /** The bytes the signature covers: `"<principal>:<iat>:<exp>"`. */
  readonly message: Buffer;
  readonly signature: Buffer;
}

/** Largest lifetime arithmetic we do exactly; `exp` saturates here. */
export const MAX_EPOCH = Number.MAX_SAFE_INTEGER;
const HEX = /^[0-9a-fA-F]{128}$/;
const DECIMAL = /^(0|[1-9][0-9]{0,15})$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function signedMessage(principal: string, iat: number, exp: number): Buffer {
  return Buffer.from(`${principal}:${iat}:${exp}`, 'utf8');
}

/** `exp = now + lifetime`, saturating. */
export function expiryFor(now: number, lifetimeSecs: number): number {
  return Math.min(MAX_EPOCH, now + lifetimeSecs);
}

/** `b64url(principal).b64url(iat).b64url(exp).hex(signature)` (spec §1.4, v2). */
export function encodeBearer(
  principal: string,
  iat: number,
  exp: number,
  signature: Uint8Array,
): string {
  return [
    b64urlEncode(principal),
    b64urlEncode(String(iat)),
    b64urlEncode(String(exp)),
    Buffer.from(signature).toString('hex'),
  ].join('.');
}

function text(part: string): string | null {
  const bytes = b64urlDecodeStrict(part);
  if (bytes === null) return null;
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}

function epoch(part: string): number | null {
  const s = text(part);
  if (s === null || !DECIMAL.test(s)) return null;
  const n = Number(s);
  return n <= MAX_EPOCH ? n : null;
}

/**
 * Takes a token apart without trusting it. The split is bounded (at most 5
 * pieces) so a flood of dots costs nothing; exactly four parts are needed.
 */
export function decodeBearer(token: string): DecodedBearer | null {
  const parts = token.split('.', 5);
  if (parts.length !== 4) return null;
  const [p, i, e, sig] = parts as [string, string, string, string];
  const principal = text(p);
  const iat = epoch(i);
  const exp = epoch(e);
  if (principal === null || iat === null || exp === null || !HEX.test(sig)) return null;
  return {
    principal,
    iat,
    exp,
    message: signedMessage(principal, iat, exp),
    signature: Buffer.from(sig, 'hex'),
  };
}

/** Time and syntax checks after the signature held: unexpired and a valid principal id. */
export function claimsOf(decoded: DecodedBearer, now: number): BearerClaims | null {
  if (decoded.exp <= now) return null;
  const principal = checkPrincipalId(decoded.principal);
  if (!principal.ok) return null;
  return { principal: principal.value, iat: decoded.iat, exp: decoded.exp };
}

/** The token of an `Authorization` header: exactly `Bearer <token>` (case-sensitive, one space). */
export function bearerFromHeader(header: string | undefined): string | null {
  if (header === undefined || !header.startsWith('Bearer ')) return null;
  const token = header.slice('Bearer '.length);
  return token.length === 0 ? null : token;
}
