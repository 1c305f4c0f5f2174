declare module 'astrid:fs/host@1.0.0' {
  export function fsOpen(path: string, mode: OpenMode): FileHandle;
  export function fsExists(path: string): boolean;
  export function fsMkdir(path: string): void;
  export function fsMkdirAll(path: string): void;
  export function fsReaddir(path: string): Array<string>;
  export function fsStat(path: string): FileStat;
  export function fsStatSymlink(path: string): FileStat;
  export function fsUnlink(path: string): void;
  export function readFile(path: string): Uint8Array;
  export function writeFile(path: string, content: Uint8Array): void;
  export function fsAppend(path: string, content: Uint8Array): void;
  export function fsCopy(src: string, dst: string): void;
  export function fsRename(src: string, dst: string): void;
  /**
   * Removes a directory tree; returns the number of entries removed.
   */
  export function fsRemoveDirAll(path: string): bigint;
  export function fsCanonicalize(path: string): string;
  export function fsReadLink(path: string): string;
  export function fsHardLink(src: string, linkPath: string): void;
  export type ErrorCode = ErrorCodeNotFound | ErrorCodeAccess | ErrorCodeCapabilityDenied | ErrorCodeBoundaryEscape | ErrorCodeInvalidPath | ErrorCodeWouldBlock | ErrorCodeIsDirectory | ErrorCodeNotDirectory | ErrorCodeNotEmpty | ErrorCodeTooLarge | ErrorCodeQuota | ErrorCodeCrossVfs | ErrorCodeAlreadyExists | ErrorCodeClosed | ErrorCodeUnknown;
  export interface ErrorCodeNotFound {
    tag: 'not-found',
  }
  export interface ErrorCodeAccess {
    tag: 'access',
  }
  export interface ErrorCodeCapabilityDenied {
    tag: 'capability-denied',
  }
  export interface ErrorCodeBoundaryEscape {
    tag: 'boundary-escape',
  }
  export interface ErrorCodeInvalidPath {
    tag: 'invalid-path',
  }
  export interface ErrorCodeWouldBlock {
    tag: 'would-block',
  }
  export interface ErrorCodeIsDirectory {
    tag: 'is-directory',
  }
  export interface ErrorCodeNotDirectory {
    tag: 'not-directory',
  }
  export interface ErrorCodeNotEmpty {
    tag: 'not-empty',
  }
  export interface ErrorCodeTooLarge {
    tag: 'too-large',
  }
  export interface ErrorCodeQuota {
    tag: 'quota',
  }
  export interface ErrorCodeCrossVfs {
    tag: 'cross-vfs',
  }
  export interface ErrorCodeAlreadyExists {
    tag: 'already-exists',
  }
  export interface ErrorCodeClosed {
    tag: 'closed',
  }
  export interface ErrorCodeUnknown {
    tag: 'unknown',
    val: string,
  }
  /**
   * # Variants
   * 
   * ## `"type-unknown"`
   * 
   * ## `"regular"`
   * 
   * ## `"directory"`
   * 
   * ## `"symlink"`
   * 
   * ## `"block-device"`
   * 
   * ## `"character-device"`
   * 
   * ## `"fifo"`
   * 
   * ## `"socket"`
   */
  export type FileType = 'type-unknown' | 'regular' | 'directory' | 'symlink' | 'block-device' | 'character-device' | 'fifo' | 'socket';
  export interface Datetime {
    seconds: bigint,
    nanoseconds: number,
  }
  export interface FileStat {
    size: bigint,
    kind: FileType,
    mode: number,
    modified?: Datetime,
    created?: Datetime,
    accessed?: Datetime,
  }
  /**
   * # Variants
   * 
   * ## `"read"`
   * 
   * ## `"write"`
   * 
   * ## `"append"`
   * 
   * ## `"read-write"`
   */
  export type OpenMode = 'read' | 'write' | 'append' | 'read-write';
  
  export class FileHandle implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    /**
    * Reads up to `max-bytes` (at most 1 MiB) at `offset`.
    */
    readAt(offset: bigint, maxBytes: number): Uint8Array;
    /**
    * Writes `data` (at most 1 MiB) at `offset`; returns bytes written.
    */
    writeAt(offset: bigint, data: Uint8Array): number;
    syncData(): void;
    syncAll(): void;
    stat(): FileStat;
    setLen(size: bigint): void;
    [Symbol.dispose](): void;
  }
}
