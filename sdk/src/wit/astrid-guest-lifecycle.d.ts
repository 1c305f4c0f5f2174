declare module 'astrid:guest/lifecycle@1.0.0' {
  /**
   * What an interceptor decided: `continue`, `final`, `deny` (or `abort`),
   * with optional data (the reason, for a denial).
   */
  export interface CapsuleResult {
    action: string,
    data?: string,
  }
}
