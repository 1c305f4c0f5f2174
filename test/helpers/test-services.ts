import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { WorkspaceOverlays } from '../../src/capsule/engines/wasm/host/fs/workspace-overlays.js';
import type { KernelServices } from '../../src/capsule/engines/wasm/host/kernel-services.js';
import { AirlockExceptions } from '../../src/capsule/engines/wasm/host/network/airlock-exceptions.js';
import { systemResolver } from '../../src/capsule/engines/wasm/host/network/resolve-dial.js';
import { Sandbox } from '../../src/capsule/engines/wasm/host/process/sandbox.js';
import { Semaphore } from '../../src/capsule/engines/wasm/host/semaphore.js';
import { silentLogger } from '../../src/core/logger.js';
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

let sandbox: Promise<Sandbox> | null = null;

/** The host's real process sandbox, probed once per test file. */
export function testSandbox(): Promise<Sandbox> {
  sandbox ??= Sandbox.probe(silentLogger);
  return sandbox;
}

export interface TestServiceOptions {
  /** Operator airlock exceptions (`network.airlock_exceptions`). */
  readonly airlockExceptions?: readonly string[];
  readonly sessionToken?: string | null;
  /** A process sandbox other than the host's real one. */
  readonly sandbox?: Sandbox;
}

/** Real kernel services over an in-memory database, with a workspace and an overlay root. */
export async function testServices(
  workspace: string,
  stateDir: string,
  options: TestServiceOptions = {},
): Promise<TestServices> {
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
    io: new Semaphore(64),
    network: {
      exceptions: AirlockExceptions.parse(options.airlockExceptions ?? []),
      resolver: systemResolver,
    },
    sandbox: options.sandbox ?? (await testSandbox()),
    sessionToken: options.sessionToken ?? null,
  };
}
