/// <reference path="./wit/astrid-sys-host.d.ts" />
import * as sys from 'astrid:sys/host@1.0.0';
import { host } from './errors.js';

const IFACE = 'astrid:sys/host';

/** Who invoked the current call: the principal the kernel attributes it to, when there is one. */
export interface Caller {
  readonly principal: string | undefined;
  readonly sourceId: string;
  readonly timestamp: string;
}

export function caller(): Caller {
  const c = host(IFACE, () => sys.getCaller());
  return { principal: c.principal, sourceId: c.sourceId, timestamp: c.timestamp };
}

/** A run loop tells the kernel it has set up its subscriptions. */
export function ready(): void {
  sys.signalReady();
}

/**
 * A configuration value: a secret, then the caller's env overlay, then the
 * capsule's resolved `[env]`; undefined when unset.
 */
export function env(key: string): string | undefined {
  return host(IFACE, () => sys.getConfig(key));
}

export const time = {
  /** Wall-clock milliseconds since the Unix epoch. */
  now(): number {
    return Number(sys.clockMs());
  },
  /** Monotonic nanoseconds (for measuring intervals). */
  monotonicNs(): bigint {
    return sys.clockMonotonicNs();
  },
  /** Sleeps (at most 60 s per call; cancelled calls throw `HostError` `cancelled`). */
  sleep(ms: number): void {
    host(IFACE, () => sys.sleepNs(BigInt(Math.max(0, Math.floor(ms))) * 1_000_000n));
  },
} as const;

/** Bytes from the OS CSPRNG (at most 4,096 per call). */
export function randomBytes(length: number): Uint8Array {
  return host(IFACE, () => sys.randomBytes(BigInt(length)));
}

export const capabilities = {
  /** The capabilities this capsule holds, as the kernel enumerates them. */
  list(): string[] {
    return sys.enumerateCapabilities();
  },
  /** Whether the capsule that sent a message (by its source uuid) holds `capability`. */
  check(sourceUuid: string, capability: string): boolean {
    return host(IFACE, () => sys.checkCapsuleCapability({ sourceUuid, capability })).allowed;
  },
} as const;
