import { HostError } from '../host-error.js';
import { AirlockRejection, NameResolutionError } from '../network/resolve-dial.js';

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
]);

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EADDRNOTAVAIL',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** The request was aborted because its deadline passed. */
export class HttpDeadline extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HttpDeadline';
  }
}

function causeChain(e: unknown): unknown[] {
  const out: unknown[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur !== undefined && cur !== null; i++) {
    out.push(cur);
    cur = (cur as { cause?: unknown }).cause;
  }
  return out;
}

/**
 * Maps a failure while sending a request or reading its response to the
 * contract's error codes: airlock → `airlock-rejected`, resolver →
 * `dns-error`, certificates and handshakes → `tls-error`, deadlines →
 * `timeout`, refused or reset connections → `connection-error`, malformed
 * responses → `protocol`, the instance going away → `closed`.
 */
export function mapHttpError(e: unknown, cancelled: boolean): HostError {
  if (e instanceof HostError) return e;
  for (const c of causeChain(e)) {
    if (c instanceof AirlockRejection) return new HostError('airlock-rejected', c.message);
    if (c instanceof NameResolutionError) return new HostError('dns-error', c.message);
    if (c instanceof HttpDeadline) return new HostError('timeout', c.message);
  }
  if (cancelled)
    return new HostError('closed', 'the request was cancelled (the capsule instance went away)');
  for (const c of causeChain(e)) {
    const code = (c as { code?: unknown }).code;
    const message = c instanceof Error ? c.message : String(c);
    if (typeof code !== 'string') continue;
    if (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_'))
      return new HostError('tls-error', message);
    if (TIMEOUT_CODES.has(code)) return new HostError('timeout', message);
    if (CONNECTION_CODES.has(code)) return new HostError('connection-error', message);
    if (
      code.startsWith('HPE_') ||
      code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' ||
      code === 'UND_ERR_INFO'
    )
      return new HostError('protocol', message, message);
    if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED')
      return new HostError('invalid-request', message);
  }
  const message = e instanceof Error ? e.message : String(e);
  return new HostError('unknown', message, message);
}
