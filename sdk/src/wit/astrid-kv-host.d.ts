declare module 'astrid:kv/host@1.0.0' {
  export function kvGet(key: string): Uint8Array | undefined;
  export function kvSet(key: string, value: Uint8Array): void;
  export function kvDelete(key: string): void;
  /**
   * Keys starting with `prefix`, sorted; at most 1024.
   */
  export function kvListKeys(prefix: string): Array<string>;
  /**
   * One page of keys after `cursor`; `limit` 0 means 1024.
   */
  export function kvListKeysPage(prefix: string, cursor: string | undefined, limit: number): KeyPage;
  export function kvClearPrefix(prefix: string): bigint;
  /**
   * Sets `new` only if the current value equals `expected` (`none` = absent).
   */
  export function kvCas(key: string, expected: Uint8Array | undefined, new_: Uint8Array): void;
  export type ErrorCode = ErrorCodeInvalidKey | ErrorCodeTooLarge | ErrorCodeQuota | ErrorCodeCasMismatch | ErrorCodeUnknown;
  export interface ErrorCodeInvalidKey {
    tag: 'invalid-key',
  }
  export interface ErrorCodeTooLarge {
    tag: 'too-large',
  }
  export interface ErrorCodeQuota {
    tag: 'quota',
  }
  export interface ErrorCodeCasMismatch {
    tag: 'cas-mismatch',
  }
  export interface ErrorCodeUnknown {
    tag: 'unknown',
    val: string,
  }
  export interface KeyPage {
    keys: Array<string>,
    nextCursor?: string,
  }
}
