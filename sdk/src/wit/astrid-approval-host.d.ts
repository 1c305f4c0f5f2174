declare module 'astrid:approval/host@1.0.0' {
  /**
   * Waits (at most 60 s) for a decision, or answers from a standing allowance.
   */
  export function requestApproval(request: ApprovalRequest): ApprovalResponse;
  export type ErrorCode = ErrorCodeInvalidInput | ErrorCodeTimeout | ErrorCodeStoreUnavailable | ErrorCodeUnknown;
  export interface ErrorCodeInvalidInput {
    tag: 'invalid-input',
  }
  export interface ErrorCodeTimeout {
    tag: 'timeout',
  }
  export interface ErrorCodeStoreUnavailable {
    tag: 'store-unavailable',
  }
  export interface ErrorCodeUnknown {
    tag: 'unknown',
    val: string,
  }
  export interface ApprovalRequest {
    action: string,
    targetResource: string,
  }
  /**
   * # Variants
   * 
   * ## `"denied"`
   * 
   * ## `"approved"`
   * 
   * ## `"approved-session"`
   * 
   * ## `"approved-always"`
   * 
   * ## `"allowance"`
   */
  export type ApprovalDecision = 'denied' | 'approved' | 'approved-session' | 'approved-always' | 'allowance';
  export interface ApprovalResponse {
    decision: ApprovalDecision,
  }
}
