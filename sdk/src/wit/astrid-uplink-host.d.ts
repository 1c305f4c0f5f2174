declare module 'astrid:uplink/host@1.0.0' {
  /**
   * Registers an uplink and returns its id (at most 32 per capsule).
   */
  export function uplinkRegister(name: string, platform: string, profile: UplinkProfile): string;
  /**
   * Queues inbound content from a platform user; false when the queue is full.
   */
  export function uplinkSend(uplinkId: string, platformUserId: string, content: string): boolean;
  export type ErrorCode = ErrorCodeCapabilityDenied | ErrorCodeInvalidInput | ErrorCodeInvalidProfile | ErrorCodeUnknownUplink | ErrorCodeNoSession | ErrorCodeQuota | ErrorCodeUnknown;
  export interface ErrorCodeCapabilityDenied {
    tag: 'capability-denied',
  }
  export interface ErrorCodeInvalidInput {
    tag: 'invalid-input',
  }
  export interface ErrorCodeInvalidProfile {
    tag: 'invalid-profile',
  }
  export interface ErrorCodeUnknownUplink {
    tag: 'unknown-uplink',
  }
  export interface ErrorCodeNoSession {
    tag: 'no-session',
  }
  export interface ErrorCodeQuota {
    tag: 'quota',
  }
  export interface ErrorCodeUnknown {
    tag: 'unknown',
    val: string,
  }
  /**
   * # Variants
   * 
   * ## `"chat"`
   * 
   * ## `"interactive"`
   * 
   * ## `"notify"`
   * 
   * ## `"bridge"`
   */
  export type UplinkProfile = 'chat' | 'interactive' | 'notify' | 'bridge';
}
