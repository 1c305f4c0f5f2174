declare module 'astrid:io/poll@1.0.0' {
  /**
   * Waits until at least one pollable is ready and returns the indices of
   * every ready one, ascending. At most 256 pollables per call.
   */
  export function poll(pollables: Array<Pollable>): Uint32Array;
  export type ErrorCode = ErrorCodeInvalidInput | ErrorCodeClosed | ErrorCodeTooLarge | ErrorCodeCancelled | ErrorCodeUnknown;
  export interface ErrorCodeInvalidInput {
    tag: 'invalid-input',
  }
  export interface ErrorCodeClosed {
    tag: 'closed',
  }
  export interface ErrorCodeTooLarge {
    tag: 'too-large',
  }
  export interface ErrorCodeCancelled {
    tag: 'cancelled',
  }
  export interface ErrorCodeUnknown {
    tag: 'unknown',
    val: string,
  }
  
  export class Pollable implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    /**
    * Non-blocking readiness check.
    */
    ready(): boolean;
    /**
    * Waits until ready, or fails with `cancelled` when the capsule unloads.
    */
    block(): void;
    [Symbol.dispose](): void;
  }
}
