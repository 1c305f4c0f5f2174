import type { PrincipalId } from '../../core/ids/principal-id.js';
import type { JsonObject } from '../../events/json.js';
import type { AdminBody } from '../admin/admin-body.js';
import type { AdminMethod } from '../admin/admin-request.js';
import type { KernelBody } from '../requests/kernel-method.js';

export const ADMIN_TIMEOUT_MS = 15_000;
export const KERNEL_TIMEOUT_MS = 10_000;

export interface RequestOptions {
  /** Act for another principal than the client's own (subject to that principal's capabilities). */
  readonly principal?: PrincipalId;
  readonly timeoutMs?: number;
}

/**
 * A client of the kernel's management API. An `Error` answer rejects with an
 * `AstridError` carrying the kernel's code and message; no answer in time
 * rejects with `timeout`.
 */
export interface KernelClient {
  readonly principal: PrincipalId;
  admin(method: AdminMethod, params?: JsonObject, options?: RequestOptions): Promise<AdminBody>;
  kernel(
    method: KernelMethodName,
    params?: JsonObject,
    options?: RequestOptions,
  ): Promise<KernelBody>;
  close(): Promise<void>;
}

/** Kernel request variants and their wire suffixes (`astrid.v1.request.<suffix>`). */
export const KERNEL_WIRE_NAMES = {
  GetStatus: 'status',
  Shutdown: 'shutdown',
  ListCapsules: 'list_capsules',
  ReloadCapsules: 'reload_capsules',
  GetCommands: 'get_commands',
  GetCapsuleMetadata: 'metadata',
  InstallCapsule: 'install_capsule',
  RemoveCapsule: 'remove_capsule',
  GetCapsuleContext: 'capsule_context',
  ListUplinks: 'list_uplinks',
  WorkspaceDiff: 'workspace_diff',
  WorkspaceCommit: 'workspace_commit',
  WorkspaceDiscard: 'workspace_discard',
  AuditQuery: 'audit_query',
  AuditVerify: 'audit_verify',
} as const;

export type KernelMethodName = keyof typeof KERNEL_WIRE_NAMES;
