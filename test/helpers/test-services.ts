import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { WorkspaceOverlays } from '../../src/capsule/engines/wasm/host/fs/workspace-overlays.js';
import type { KernelServices } from '../../src/capsule/engines/wasm/host/kernel-services.js';
import { Semaphore } from '../../src/capsule/engines/wasm/host/semaphore.js';
import { AllowanceStore } from '../../src/storage/approvals/allowance-store.js';
import { NIL_SESSION } from '../../src/storage/audit/audit-entry.js';
import { AuditLog } from '../../src/storage/audit/audit-log.js';
import { StateDatabase } from '../../src/storage/db/state-database.js';
import { IdentityStore } from '../../src/storage/identity/identity-store.js';
import { RuntimeKey } from '../../src/storage/keys/runtime-key.js';
import { KvStore } from '../../src/storage/kv/kv-store.js';

export interface TestServices extends KernelServices {
  readonly db: StateDatabase;
  readonly auditLog: AuditLog;
}

/** Real kernel services over an in-memory database, with a workspace and an overlay root. */
export async function testServices(workspace: string, stateDir: string): Promise<TestServices> {
  const db = StateDatabase.open(':memory:');
  const kv = new KvStore(db);
  const auditLog = await AuditLog.open(db, RuntimeKey.fromSeed(randomBytes(32)), NIL_SESSION);
  return {
    db,
    auditLog,
    kv,
    identity: new IdentityStore(kv),
    allowances: new AllowanceStore(db),
    audit: auditLog,
    workspace,
    overlays: new WorkspaceOverlays(workspace, join(stateDir, 'overlays')),
    blocking: new Semaphore(4),
  };
}
