import type { Agent } from 'undici';
import type { GroupConfig } from '../../../../core/groups/group-config.js';
import type { CapsuleId } from '../../../../core/ids/capsule-id.js';
import type { PrincipalId } from '../../../../core/ids/principal-id.js';
import type { Logger } from '../../../../core/logger.js';
import type { Profile } from '../../../../core/profiles/profile.js';
import type { CompiledTopicPattern } from '../../../../core/topics/route-matcher.js';
import type { BusTransport } from '../../../../events/bus-transport.js';
import type { IpcRateLimiter } from '../../../../events/ipc-rate-limiter.js';
import type { AstridHome } from '../../../../storage/home/astrid-home.js';
import type { CapsuleManifest } from '../../../manifest/manifest.js';
import type { KernelServices } from './kernel-services.js';
import type { UnixListenerHub } from './net/unix-listener.js';
import type { PersistentRegistry } from './process/persistent-registry.js';
import type { ProcessTracker } from './process-tracker.js';
import type { UplinkBook } from './uplink-host.js';

/** Resolves principals' profiles (the kernel's profile cache). Throws for an invalid profile. */
export interface ProfileSource {
  resolve(principal: PrincipalId): Promise<Profile>;
}

/** Answers `check-capsule-capability`: which manifest capabilities a loaded capsule (by session UUID) holds. */
export interface CapsuleCapabilityRegistry {
  heldCapabilities(sessionUuid: string): readonly string[] | undefined;
}

export interface InterceptorBinding {
  readonly handleId: bigint;
  readonly action: string;
  readonly topic: string;
}

/**
 * What every instance of one loaded capsule shares: identity, manifest-derived
 * policy, and the kernel services its host functions use.
 */
export interface CapsuleHost {
  readonly capsuleId: CapsuleId;
  /** The capsule's session UUID: the source id of everything it publishes. */
  readonly sessionUuid: string;
  /** The load-time principal. */
  readonly owner: PrincipalId;
  readonly manifest: CapsuleManifest;
  readonly home: AstridHome;
  readonly bus: BusTransport;
  readonly logger: Logger;
  /** One limiter for all instances of the capsule. */
  readonly ipcRateLimiter: IpcRateLimiter;
  readonly profiles: ProfileSource;
  /** Load-time configuration: `ASTRID_SOCKET_PATH` and the resolved `[env]` values. */
  readonly config: ReadonlyMap<string, string>;
  readonly publishAcl: readonly CompiledTopicPattern[];
  readonly subscribeAcl: readonly CompiledTopicPattern[];
  /** Held manifest capability names, sorted (empty for lifecycle instances). */
  readonly heldCapabilities: readonly string[];
  /** Whether the owner holds `audit:read_all` (from its profile and groups, never the manifest). */
  readonly auditFirehose: boolean;
  readonly registry: CapsuleCapabilityRegistry | null;
  /** Run-loop interceptor bindings; empty for other capsules. */
  readonly interceptorBindings: readonly InterceptorBinding[];
  /** Install/upgrade hooks run with no gate and empty ACLs; `elicit` works only here. */
  readonly lifecycle: boolean;
  /** Fired when the capsule unloads: blocking host calls end with `cancelled`/`closed`. */
  readonly cancel: AbortSignal;
  /** KV, identity, approvals, audit, workspace and the blocking-call semaphore. */
  readonly services: KernelServices;
  /** The live group configuration (capability checks of responders). */
  readonly groups: () => GroupConfig;
  /** Uplinks this capsule registered at runtime. */
  readonly uplinks: UplinkBook;
  /** The capsule's HTTP client (created on first use; every connection passes the airlock). */
  readonly httpAgent: () => Agent;
  /** The capsule's Unix listener (`net_bind` capsules), or null. */
  readonly unixListener: UnixListenerHub | null;
  /** Children of tool calls, interrupted by `tool.v1.request.cancel`. */
  readonly processes: ProcessTracker;
  /** The capsule's persistent processes, shared by all of its instances. */
  readonly persistent: PersistentRegistry;
}
