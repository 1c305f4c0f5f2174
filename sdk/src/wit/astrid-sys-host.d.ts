declare module 'astrid:sys/host@1.0.0' {
  /**
   * A configuration value: secrets, then the caller's env overlay, then the
   * capsule's resolved `[env]`.
   */
  export function getConfig(key: string): string | undefined;
  export function getCaller(): CallerContext;
  /**
   * Appends a line to the capsule's log.
   */
  export function log(level: LogLevel, message: string): void;
  /**
   * Tells the kernel a run loop has set up its subscriptions.
   */
  export function signalReady(): void;
  /**
   * Wall-clock milliseconds since the Unix epoch.
   */
  export function clockMs(): bigint;
  /**
   * Monotonic nanoseconds since an arbitrary process-wide anchor.
   */
  export function clockMonotonicNs(): bigint;
  /**
   * Sleeps; at most 60 s per call.
   */
  export function sleepNs(durationNs: bigint): void;
  /**
   * Bytes from the OS CSPRNG; at most 4096 per call.
   */
  export function randomBytes(length: bigint): Uint8Array;
  /**
   * Whether another loaded capsule (by session UUID) declares a capability.
   */
  export function checkCapsuleCapability(request: CapabilityCheckRequest): CapabilityCheckResponse;
  /**
   * The capability names this capsule declares, sorted.
   */
  export function enumerateCapabilities(): Array<string>;
  export type ErrorCode = ErrorCodeCapabilityDenied | ErrorCodeConfigKeyReserved | ErrorCodeTooLarge | ErrorCodeRegistryUnavailable | ErrorCodeCancelled | ErrorCodeUnknown;
  export interface ErrorCodeCapabilityDenied {
    tag: 'capability-denied',
  }
  export interface ErrorCodeConfigKeyReserved {
    tag: 'config-key-reserved',
  }
  export interface ErrorCodeTooLarge {
    tag: 'too-large',
  }
  export interface ErrorCodeRegistryUnavailable {
    tag: 'registry-unavailable',
  }
  export interface ErrorCodeCancelled {
    tag: 'cancelled',
  }
  export interface ErrorCodeUnknown {
    tag: 'unknown',
    val: string,
  }
  /**
   * # Variants
   * 
   * ## `"trace"`
   * 
   * ## `"debug"`
   * 
   * ## `"info"`
   * 
   * ## `"warn"`
   * 
   * ## `"error"`
   */
  export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /**
   * Who the current work is for: the principal, the publishing session and
   * the time of the message behind it.
   */
  export interface CallerContext {
    principal?: string,
    sourceId: string,
    timestamp: string,
  }
  export interface CapabilityCheckRequest {
    sourceUuid: string,
    capability: string,
  }
  export interface CapabilityCheckResponse {
    allowed: boolean,
  }
}
