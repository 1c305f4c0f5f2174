/// <reference path="./astrid-io-poll.d.ts" />
/// <reference path="./astrid-io-streams.d.ts" />
declare module 'astrid:http/host@1.0.0' {
  /**
   * A buffered request: 30 s overall, response body at most 10 MiB.
   */
  export function httpRequest(request: HttpRequestData): HttpResponseData;
  /**
   * Starts a streaming request; returns once the response headers arrive.
   */
  export function httpStreamStart(request: HttpRequestData): HttpStream;
  export type Pollable = import('astrid:io/poll@1.0.0').Pollable;
  export type InputStream = import('astrid:io/streams@1.0.0').InputStream;
  export type ErrorCode = ErrorCodeCapabilityDenied | ErrorCodeInvalidRequest | ErrorCodeDnsError | ErrorCodeAirlockRejected | ErrorCodeTlsError | ErrorCodeTimeout | ErrorCodeConnectionError | ErrorCodeBodyTooLarge | ErrorCodeClosed | ErrorCodeQuota | ErrorCodeProtocol | ErrorCodeUnknown;
  export interface ErrorCodeCapabilityDenied {
    tag: 'capability-denied',
  }
  export interface ErrorCodeInvalidRequest {
    tag: 'invalid-request',
  }
  export interface ErrorCodeDnsError {
    tag: 'dns-error',
  }
  export interface ErrorCodeAirlockRejected {
    tag: 'airlock-rejected',
  }
  export interface ErrorCodeTlsError {
    tag: 'tls-error',
  }
  export interface ErrorCodeTimeout {
    tag: 'timeout',
  }
  export interface ErrorCodeConnectionError {
    tag: 'connection-error',
  }
  export interface ErrorCodeBodyTooLarge {
    tag: 'body-too-large',
  }
  export interface ErrorCodeClosed {
    tag: 'closed',
  }
  export interface ErrorCodeQuota {
    tag: 'quota',
  }
  export interface ErrorCodeProtocol {
    tag: 'protocol',
    val: string,
  }
  export interface ErrorCodeUnknown {
    tag: 'unknown',
    val: string,
  }
  export type HttpMethod = HttpMethodGet | HttpMethodHead | HttpMethodPost | HttpMethodPut | HttpMethodDelete | HttpMethodConnect | HttpMethodOptions | HttpMethodTrace | HttpMethodPatch | HttpMethodOther;
  export interface HttpMethodGet {
    tag: 'get',
  }
  export interface HttpMethodHead {
    tag: 'head',
  }
  export interface HttpMethodPost {
    tag: 'post',
  }
  export interface HttpMethodPut {
    tag: 'put',
  }
  export interface HttpMethodDelete {
    tag: 'delete',
  }
  export interface HttpMethodConnect {
    tag: 'connect',
  }
  export interface HttpMethodOptions {
    tag: 'options',
  }
  export interface HttpMethodTrace {
    tag: 'trace',
  }
  export interface HttpMethodPatch {
    tag: 'patch',
  }
  export interface HttpMethodOther {
    tag: 'other',
    val: string,
  }
  export interface KeyValuePair {
    key: string,
    value: string,
  }
  export interface HttpRequestData {
    url: string,
    method: HttpMethod,
    headers: Array<KeyValuePair>,
    body?: Uint8Array,
  }
  export interface HttpResponseData {
    status: number,
    headers: Array<KeyValuePair>,
    body: Uint8Array,
  }
  
  export class HttpStream implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    status(): number;
    headers(): Array<KeyValuePair>;
    /**
    * The next chunk of the body; an empty list at the end.
    */
    readChunk(): Uint8Array;
    close(): void;
    subscribeReadable(): Pollable;
    bodyStream(): InputStream;
    [Symbol.dispose](): void;
  }
}
