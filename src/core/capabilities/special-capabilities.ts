import { CAPABILITY_CATALOG } from './capability-catalog.js';

/**
 * Operator-granted capabilities that exempt a principal from the
 * per-principal CPU-rate and memory bounds. They come from the profile and its
 * groups, never from a capsule manifest.
 */
export const EXEMPT_CAPABILITIES: readonly string[] = Object.freeze([
  'system:resources:unbounded',
  'net_bind',
  'uplink',
]);

/** Firehose access to the audit feed (otherwise scoped to one's own rows). */
export const AUDIT_READ_ALL = 'audit:read_all';

/** Granted to the built-in `agent` group; reserved for delegation. */
export const DELEGATE_SELF_ALL = 'delegate:self:*';

/**
 * Every concrete capability the kernel consults: the catalogue plus the
 * exemption set. Granting anything else is allowed (patterns, future
 * capabilities) but the CLI warns about it.
 */
export const KNOWN_CAPABILITIES: ReadonlySet<string> = new Set([
  ...CAPABILITY_CATALOG.map((e) => e.id),
  ...EXEMPT_CAPABILITIES,
]);
