import type { AllowanceStore } from '../../../../storage/approvals/allowance-store.js';
import type { AuditEntry } from '../../../../storage/audit/audit-entry.js';
import type { AuditRecord } from '../../../../storage/audit/audit-log.js';
import type { IdentityStore } from '../../../../storage/identity/identity-store.js';
import type { KvStore } from '../../../../storage/kv/kv-store.js';
import type { WorkspaceOverlays } from './fs/workspace-overlays.js';
import type { AirlockExceptions } from './network/airlock-exceptions.js';
import type { HostResolver } from './network/resolve-dial.js';
import type { Sandbox } from './process/sandbox.js';
import type { Semaphore } from './semaphore.js';

/** How capsules reach the network: the resolver, and the operator's airlock exceptions. */
export interface NetworkPolicy {
  readonly exceptions: AirlockExceptions;
  readonly resolver: HostResolver;
}

/** Where audit records of host decisions go (the kernel's signed audit log). */
export interface AuditSink {
  append(record: AuditRecord): AuditEntry;
}

/**
 * The kernel services host functions use beyond the bus: persistent KV, the
 * identity store, approval allowances, the audit log, the workspace, the
 * semaphores that bound concurrent blocking and network host operations,
 * the network policy, the process sandbox and the session token.
 */
export interface KernelServices {
  readonly kv: KvStore;
  readonly identity: IdentityStore;
  readonly allowances: AllowanceStore;
  readonly audit: AuditSink;
  /** The workspace root capsules see through `cwd://` / `workspace://`. */
  readonly workspace: string;
  /** Each capsule's copy-on-write view of the workspace; null = writes go straight to it (lifecycle hooks). */
  readonly overlays: WorkspaceOverlays | null;
  readonly blocking: Semaphore;
  /** Bounds concurrent network waits (HTTP requests and body reads, stdin writes). */
  readonly io: Semaphore;
  readonly network: NetworkPolicy;
  /** The process sandbox (probed once at start). */
  readonly sandbox: Sandbox;
  /** The daemon's session token: clients of a capsule's Unix listener must present it (null = no handshake). */
  readonly sessionToken: string | null;
  /** How long approval and elicit questions wait for a human (defaults 60 s and 120 s). */
  readonly timeouts?: { readonly approvalMs?: number; readonly elicitMs?: number };
}
