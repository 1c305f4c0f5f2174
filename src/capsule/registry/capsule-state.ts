/** Where a capsule is in its life. */
export type CapsuleState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready' }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'unloading' }
  | { readonly kind: 'unloaded' };
