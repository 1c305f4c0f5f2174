import { HostError } from '../host-error.js';
import { httpHostAllowed } from '../network/allowlists.js';

/** The largest request body a capsule may send, and the largest buffered response it may receive. */
export const MAX_HTTP_BODY = 10 * 1024 * 1024;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const MAX_HEADER_VALUE = 8192;
/** Headers the host owns: framing, the connection, and the target host. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'proxy-connection',
]);

export interface GuestHttpRequest {
  readonly url: string;
  readonly method: { readonly tag: string; readonly val?: string };
  readonly headers: readonly { readonly key: string; readonly value: string }[];
  readonly body?: Uint8Array | undefined;
}

export interface CheckedHttpRequest {
  readonly url: URL;
  readonly method: string;
  /** Name/value pairs in order; repeated names stay repeated. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Uint8Array | null;
}

const invalid = (message: string) => new HostError('invalid-request', message);

/** Whether a URL may be fetched by this capsule: http(s), no credentials, host on the `net` list. */
export function checkHttpUrl(raw: string, allowlist: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(`${JSON.stringify(raw.slice(0, 200))} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalid(`only http and https URLs can be fetched (got ${url.protocol})`);
  if (url.hostname.length === 0) throw invalid('the URL has no host');
  if (url.username !== '' || url.password !== '')
    throw invalid('credentials in the URL are not accepted; send an Authorization header instead');
  if (!httpHostAllowed(allowlist, url.hostname)) {
    throw new HostError(
      'capability-denied',
      `host ${url.hostname} is not on the capsule's net allowlist`,
    );
  }
  return url;
}

/**
 * Validates a guest request in the order the contract gives: URL and `net`
 * allowlist, method, headers, body. Pure.
 */
export function checkHttpRequest(
  request: GuestHttpRequest,
  allowlist: readonly string[],
): CheckedHttpRequest {
  const url = checkHttpUrl(request.url, allowlist);
  let method: string;
  if (request.method.tag === 'other') {
    const m = request.method.val ?? '';
    if (!TOKEN.test(m)) throw invalid(`${JSON.stringify(m)} is not a valid HTTP method`);
    method = m;
  } else {
    method = request.method.tag.toUpperCase();
  }
  if (method.toUpperCase() === 'CONNECT')
    throw invalid('CONNECT tunnels are not offered over HTTP; use astrid:net connect-tcp');
  const headers: [string, string][] = [];
  for (const { key, value } of request.headers) {
    if (!TOKEN.test(key)) throw invalid(`${JSON.stringify(key)} is not a valid header name`);
    if (/[\r\n\0]/.test(value) || value.length > MAX_HEADER_VALUE)
      throw invalid(
        `the value of header ${key} is not valid (control characters or over ${MAX_HEADER_VALUE} bytes)`,
      );
    if (RESERVED_HEADERS.has(key.toLowerCase()))
      throw invalid(`header ${key} is set by the host and cannot be sent by a capsule`);
    headers.push([key, value]);
  }
  const body = request.body ?? null;
  if (body !== null && body.length > MAX_HTTP_BODY) {
    throw new HostError(
      'body-too-large',
      `the request body is ${body.length} bytes; the limit is ${MAX_HTTP_BODY}`,
    );
  }
  return { url, method, headers, body };
}

/** Response headers as the guest sees them: one pair per value, visible-ASCII values only. Pure. */
export function responseHeaders(
  raw: Readonly<Record<string, string | string[] | undefined>>,
): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (/^[\x20-\x7e\t]*$/.test(v)) out.push({ key, value: v });
    }
  }
  return out;
}
