declare module 'astrid:identity/host@1.0.0' {
  export function identityResolve(request: IdentityResolveRequest): IdentityResolveResponse;
  export function identityLink(request: IdentityLinkRequest): void;
  export function identityUnlink(request: IdentityUnlinkRequest): void;
  export function identityCreateUser(request: IdentityCreateUserRequest): IdentityCreateUserResponse;
  export function identityListLinks(astridUserId: string): Array<PlatformLink>;
  export type ErrorCode = ErrorCodeCapabilityDenied | ErrorCodeInvalidInput | ErrorCodeUserNotFound | ErrorCodeLinkNotFound | ErrorCodeAlreadyLinked | ErrorCodeStoreUnavailable | ErrorCodeUnknown;
  export interface ErrorCodeCapabilityDenied {
    tag: 'capability-denied',
  }
  export interface ErrorCodeInvalidInput {
    tag: 'invalid-input',
  }
  export interface ErrorCodeUserNotFound {
    tag: 'user-not-found',
  }
  export interface ErrorCodeLinkNotFound {
    tag: 'link-not-found',
  }
  export interface ErrorCodeAlreadyLinked {
    tag: 'already-linked',
  }
  export interface ErrorCodeStoreUnavailable {
    tag: 'store-unavailable',
  }
  export interface ErrorCodeUnknown {
    tag: 'unknown',
    val: string,
  }
  export interface IdentityResolveRequest {
    platform: string,
    platformUserId: string,
  }
  export interface IdentityResolveResponse {
    userId: string,
    displayName?: string,
  }
  export interface IdentityLinkRequest {
    platform: string,
    platformUserId: string,
    astridUserId: string,
    method: string,
  }
  export interface IdentityUnlinkRequest {
    platform: string,
    platformUserId: string,
  }
  export interface IdentityCreateUserRequest {
    displayName?: string,
  }
  export interface IdentityCreateUserResponse {
    userId: string,
  }
  export interface PlatformLink {
    platform: string,
    platformUserId: string,
    linkedAt: string,
    method: string,
  }
}
