/// <reference path="./astrid-io-error.d.ts" />
/// <reference path="./astrid-io-poll.d.ts" />
declare module 'astrid:io/streams@1.0.0' {
  export type Error = import('astrid:io/error@1.0.0').Error;
  export type Pollable = import('astrid:io/poll@1.0.0').Pollable;
  export type StreamError = StreamErrorLastOperationFailed | StreamErrorClosed;
  /**
   * The last operation failed; the stream is closed afterwards.
   */
  export interface StreamErrorLastOperationFailed {
    tag: 'last-operation-failed',
    val: Error,
  }
  /**
   * The stream is closed (end of input, or the peer went away).
   */
  export interface StreamErrorClosed {
    tag: 'closed',
  }
  
  export class InputStream implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    /**
    * Returns up to `len` bytes that are available now (at most 1 MiB);
    * an empty list means "nothing yet".
    */
    read(len: bigint): Uint8Array;
    /**
    * Like `read`, but waits for at least one byte.
    */
    blockingRead(len: bigint): Uint8Array;
    skip(len: bigint): bigint;
    blockingSkip(len: bigint): bigint;
    subscribe(): Pollable;
    [Symbol.dispose](): void;
  }
  
  export class OutputStream implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    /**
    * How many bytes may be written now without blocking.
    */
    checkWrite(): bigint;
    /**
    * Writes within the last `check-write` permit.
    */
    write(contents: Uint8Array): void;
    blockingWriteAndFlush(contents: Uint8Array): void;
    flush(): void;
    blockingFlush(): void;
    subscribe(): Pollable;
    writeZeroes(len: bigint): void;
    blockingWriteZeroesAndFlush(len: bigint): void;
    splice(src: InputStream, len: bigint): bigint;
    blockingSplice(src: InputStream, len: bigint): bigint;
    [Symbol.dispose](): void;
  }
}
