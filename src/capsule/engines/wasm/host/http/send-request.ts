import type { Agent, Dispatcher } from 'undici';
import { HostError } from '../host-error.js';
import { type CheckedHttpRequest, checkHttpUrl } from './http-request-check.js';

export const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

export interface SentResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Dispatcher.ResponseData['body'];
  /** The URL that answered (after redirects). */
  readonly url: URL;
}

export interface SendOptions {
  readonly signal: AbortSignal;
  /** Wait for the response headers at most this long. */
  readonly headersTimeoutMs: number;
  /** Wait between body bytes at most this long (0 = no limit). */
  readonly bodyTimeoutMs: number;
}

/** The next hop of a redirect, re-checked against the `net` allowlist. Pure. */
export function redirectTarget(
  current: CheckedHttpRequest,
  status: number,
  location: string,
  allowlist: readonly string[],
): CheckedHttpRequest {
  let next: URL;
  try {
    next = new URL(location, current.url);
  } catch {
    throw new HostError(
      'protocol',
      `the server redirected to an invalid URL ${JSON.stringify(location)}`,
      'bad redirect',
    );
  }
  let url: URL;
  try {
    url = checkHttpUrl(next.href, allowlist);
  } catch (e) {
    if (e instanceof HostError && e.tag === 'capability-denied')
      throw new HostError(
        'capability-denied',
        `redirect to ${next.hostname} refused: not on the capsule's net allowlist`,
      );
    throw e;
  }
  const toGet =
    (status === 303 && current.method !== 'HEAD') ||
    ((status === 301 || status === 302) && current.method === 'POST');
  const crossOrigin = url.origin !== current.url.origin;
  const headers = current.headers.filter(([k]) => {
    const lower = k.toLowerCase();
    if (crossOrigin && CREDENTIAL_HEADERS.has(lower)) return false;
    if (toGet && lower === 'content-type') return false;
    return true;
  });
  return {
    url,
    method: toGet ? 'GET' : current.method,
    headers,
    body: toGet ? null : current.body,
  };
}

/**
 * Sends a checked request through the guarded agent, following up to ten
 * redirects itself so that every hop passes the `net` allowlist again (and,
 * through the agent, the airlock).
 */
export async function sendRequest(
  agent: Agent,
  request: CheckedHttpRequest,
  allowlist: readonly string[],
  options: SendOptions,
): Promise<SentResponse> {
  let current = request;
  for (let hop = 0; ; hop++) {
    const response = await agent.request({
      origin: current.url.origin,
      path: `${current.url.pathname}${current.url.search}`,
      method: current.method as Dispatcher.HttpMethod,
      headers: current.headers.flat(),
      body:
        current.body === null
          ? null
          : Buffer.from(current.body.buffer, current.body.byteOffset, current.body.length),
      signal: options.signal,
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
    });
    const location = response.headers.location;
    if (!REDIRECTS.has(response.statusCode) || typeof location !== 'string') {
      return {
        status: response.statusCode,
        headers: response.headers,
        body: response.body,
        url: current.url,
      };
    }
    discardBody(response.body);
    if (hop >= MAX_REDIRECTS)
      throw new HostError(
        'protocol',
        `more than ${MAX_REDIRECTS} redirects`,
        `more than ${MAX_REDIRECTS} redirects`,
      );
    current = redirectTarget(current, response.statusCode, location, allowlist);
  }
}

/**
 * Drops a response body without reading it. undici reports the abort as an
 * `error` event, which would crash the process with nobody listening.
 */
export function discardBody(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on('error', () => {});
  body.destroy();
}
