import { timingSafeEqual } from 'node:crypto';
import {
  checkPrincipalId,
  DEFAULT_PRINCIPAL,
  type PrincipalId,
} from '../../core/ids/principal-id.js';

export const PROTOCOL_VERSION = 1;
export const MAX_HANDSHAKE_BYTES = 4096;

export interface HandshakeRequest {
  readonly token: string;
  readonly protocol_version: number;
  readonly client_version: string;
  /** Our extension: the principal this connection acts for (default `default`). */
  readonly principal?: string;
}

export interface HandshakeResponse {
  readonly status: 'ok' | 'error';
  readonly protocol_version: number;
  readonly server_version: string;
  readonly reason?: string;
}

export type HandshakeVerdict =
  | {
      readonly ok: true;
      readonly principal: PrincipalId;
      readonly clientVersion: string;
      readonly response: HandshakeResponse;
    }
  | { readonly ok: false; readonly response: HandshakeResponse };

const TOKEN = /^[0-9a-fA-F]{64}$/;

/** Constant-time comparison of two 64-hex tokens (case-insensitive). */
export function tokensEqual(a: string, b: string): boolean {
  if (!TOKEN.test(a) || !TOKEN.test(b)) return false;
  return timingSafeEqual(Buffer.from(a.toLowerCase(), 'hex'), Buffer.from(b.toLowerCase(), 'hex'));
}

/**
 * Judges a client's first frame. The protocol version is checked before the
 * token, so a version mismatch says nothing about the token; a malformed and
 * a wrong token get the same answer. Pure.
 */
export function judgeHandshake(
  request: unknown,
  expectedToken: string,
  serverVersion: string,
): HandshakeVerdict {
  const fail = (reason: string): HandshakeVerdict => ({
    ok: false,
    response: {
      status: 'error',
      protocol_version: PROTOCOL_VERSION,
      server_version: serverVersion,
      reason,
    },
  });
  if (typeof request !== 'object' || request === null) return fail('malformed handshake');
  const r = request as Partial<Record<keyof HandshakeRequest, unknown>>;
  if (typeof r.protocol_version !== 'number') return fail('malformed handshake');
  if (r.protocol_version !== PROTOCOL_VERSION) {
    return fail(
      `Protocol version mismatch (client=${r.protocol_version}, server=${PROTOCOL_VERSION}). Restart the daemon with \`astrid daemon restart\`.`,
    );
  }
  if (typeof r.token !== 'string' || !tokensEqual(r.token.trim(), expectedToken))
    return fail('authentication failed');
  let principal = DEFAULT_PRINCIPAL;
  if (r.principal !== undefined && r.principal !== null) {
    const checked = typeof r.principal === 'string' ? checkPrincipalId(r.principal) : null;
    if (checked === null || !checked.ok)
      return fail(`invalid principal: ${checked?.error.message ?? 'must be a string'}`);
    principal = checked.value;
  }
  return {
    ok: true,
    principal,
    clientVersion: typeof r.client_version === 'string' ? r.client_version : 'unknown',
    response: { status: 'ok', protocol_version: PROTOCOL_VERSION, server_version: serverVersion },
  };
}
