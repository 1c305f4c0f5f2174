/// <reference path="./astrid-io-poll.d.ts" />
declare module 'astrid:ipc/host@1.0.0' {
  /**
   * Publishes JSON `payload` on `topic` (must match a `[publish]` pattern).
   */
  export function publish(topic: string, payload: string): void;
  /**
   * Uplink capsules only: publishes on behalf of `principal` (delivered as `claimed`).
   */
  export function publishAs(topic: string, payload: string, principal: string): void;
  /**
   * Subscribes to a pattern covered by a `[subscribe]` entry.
   */
  export function subscribe(topicPattern: string): Subscription;
  export function getInterceptorBindings(): Array<InterceptorBinding>;
  export type Pollable = import('astrid:io/poll@1.0.0').Pollable;
  export type ErrorCode = ErrorCodeCapabilityDenied | ErrorCodeInvalidInput | ErrorCodeClosed | ErrorCodeRateLimited | ErrorCodeBackpressure | ErrorCodeQuota | ErrorCodeTimeout | ErrorCodeUnknown;
  export interface ErrorCodeCapabilityDenied {
    tag: 'capability-denied',
  }
  export interface ErrorCodeInvalidInput {
    tag: 'invalid-input',
  }
  export interface ErrorCodeClosed {
    tag: 'closed',
  }
  export interface ErrorCodeRateLimited {
    tag: 'rate-limited',
  }
  export interface ErrorCodeBackpressure {
    tag: 'backpressure',
  }
  export interface ErrorCodeQuota {
    tag: 'quota',
  }
  export interface ErrorCodeTimeout {
    tag: 'timeout',
  }
  export interface ErrorCodeUnknown {
    tag: 'unknown',
    val: string,
  }
  /**
   * How the kernel vouches for a message's principal.
   */
  export type PrincipalAttribution = PrincipalAttributionVerified | PrincipalAttributionClaimed | PrincipalAttributionSystem;
  /**
   * Stamped by the kernel from an authenticated source.
   */
  export interface PrincipalAttributionVerified {
    tag: 'verified',
    val: string,
  }
  /**
   * Asserted by an uplink capsule through `publish-as`.
   */
  export interface PrincipalAttributionClaimed {
    tag: 'claimed',
    val: string,
  }
  /**
   * Kernel-originated; no principal.
   */
  export interface PrincipalAttributionSystem {
    tag: 'system',
  }
  export interface IpcMessage {
    topic: string,
    payload: string,
    sourceId: string,
    principal: PrincipalAttribution,
  }
  export interface IpcEnvelope {
    messages: Array<IpcMessage>,
    dropped: bigint,
    lagged: bigint,
  }
  export interface InterceptorBinding {
    handleId: bigint,
    action: string,
    topic: string,
  }
  
  export class Subscription implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    /**
    * Drains what is queued now (up to 1 MiB) without waiting.
    */
    poll(): IpcEnvelope;
    /**
    * Waits up to `timeout-ms` (at most 60 s) for a message, then drains more
    * without waiting; `timeout` when nothing arrived.
    */
    recv(timeoutMs: bigint): IpcEnvelope;
    subscribeReadiness(): Pollable;
    [Symbol.dispose](): void;
  }
}
