/// <reference path="./wit/astrid-http-host.d.ts" />
import type * as wit from 'astrid:http/host@1.0.0';
import { type HeadersInit, headerPairs } from './http-headers.js';
import { type JsonValue, utf8 } from './json.js';

/** What `http.fetch` and `http.stream` take besides the URL (shaped like fetch's `RequestInit`). */
export interface RequestInit {
  /** Any method name, in any case (default `GET`). */
  readonly method?: string;
  readonly headers?: HeadersInit;
  /** The request body; text is sent as UTF-8. */
  readonly body?: string | Uint8Array;
  /** A JSON body (sets `content-type: application/json` unless a content-type is given). */
  readonly json?: JsonValue;
}

const METHODS = ['get', 'head', 'post', 'put', 'delete', 'connect', 'options', 'trace', 'patch'];

/** The contract's method variant for a method name (standard names in any case; anything else as `other`). */
export function httpMethod(name: string): wit.HttpMethod {
  const lower = name.toLowerCase();
  if (METHODS.includes(lower)) return { tag: lower } as wit.HttpMethod;
  return { tag: 'other', val: name };
}

/** The contract's request record for `url` and `init`. Pure. */
export function requestData(url: string, init: RequestInit = {}): wit.HttpRequestData {
  if (init.body !== undefined && init.json !== undefined)
    throw new TypeError('give a request either body or json, not both');
  const headers = headerPairs(init.headers).map(([key, value]) => ({ key, value }));
  let body: Uint8Array | undefined;
  if (init.json !== undefined) {
    body = utf8(JSON.stringify(init.json));
    if (!headers.some((h) => h.key.toLowerCase() === 'content-type'))
      headers.push({ key: 'content-type', value: 'application/json' });
  } else if (init.body !== undefined) {
    body = typeof init.body === 'string' ? utf8(init.body) : init.body;
  }
  return { url, method: httpMethod(init.method ?? 'GET'), headers, body };
}
