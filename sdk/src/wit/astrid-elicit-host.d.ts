declare module 'astrid:elicit/host@1.0.0' {
  export function elicit(request: ElicitRequest): ElicitResponse;
  export function hasSecret(key: string): boolean;
  export type ErrorCode = ErrorCodeNotInLifecycle | ErrorCodeTimeout | ErrorCodeCancelled | ErrorCodeInvalidInput | ErrorCodeStoreUnavailable | ErrorCodeUnknown;
  export interface ErrorCodeNotInLifecycle {
    tag: 'not-in-lifecycle',
  }
  export interface ErrorCodeTimeout {
    tag: 'timeout',
  }
  export interface ErrorCodeCancelled {
    tag: 'cancelled',
  }
  export interface ErrorCodeInvalidInput {
    tag: 'invalid-input',
  }
  export interface ErrorCodeStoreUnavailable {
    tag: 'store-unavailable',
  }
  export interface ErrorCodeUnknown {
    tag: 'unknown',
    val: string,
  }
  /**
   * # Variants
   * 
   * ## `"text"`
   * 
   * ## `"secret"`
   * 
   * ## `"select"`
   * 
   * ## `"array"`
   */
  export type ElicitType = 'text' | 'secret' | 'select' | 'array';
  export interface ElicitRequest {
    kind: ElicitType,
    key: string,
    description: string,
    options?: Array<string>,
    defaultValue?: string,
  }
  export type ElicitResponse = ElicitResponseValue | ElicitResponseValues | ElicitResponseSecretStored;
  export interface ElicitResponseValue {
    tag: 'value',
    val: string,
  }
  export interface ElicitResponseValues {
    tag: 'values',
    val: Array<string>,
  }
  /**
   * A secret went straight to the secret store; the guest never sees it.
   */
  export interface ElicitResponseSecretStored {
    tag: 'secret-stored',
  }
}
