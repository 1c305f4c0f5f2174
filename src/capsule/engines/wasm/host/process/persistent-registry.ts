import type { CapsuleId } from '../../../../../core/ids/capsule-id.js';
import type { PrincipalId } from '../../../../../core/ids/principal-id.js';
import type { Logger } from '../../../../../core/logger.js';
import type { JsonObject } from '../../../../../events/json.js';
import { HostError } from '../host-error.js';
import { type ExitInfo, guestExit } from './exit-info.js';
import type { ManagedChild } from './managed-child.js';
import { newProcessId, PROCESS_ID_PATTERN, type ProcessIdHasher } from './process-ids.js';
import type { ProcessOutput } from './process-output.js';
import type { SpawnSpec } from './spawn-request.js';

export const REAPER_TICK_MS = 2000;
export const MAX_RETAINED_PER_PRINCIPAL = 32;
export const MAX_ENTRIES_PER_CAPSULE = 256;
export const DEFAULT_STOP_GRACE_MS = 5000;
export const MAX_STOP_GRACE_MS = 30_000;
/** Output events for a watched process at most this often. */
export const OUTPUT_EVENT_INTERVAL_MS = 250;
export const PROCESS_TOPIC_PREFIX = 'astrid.process.v1';

export interface PersistentEntry {
  readonly id: string;
  readonly key: string;
  /** The first 16 hex of the id's unkeyed BLAKE3: audit lines and default event topics. */
  readonly short: string;
  readonly principal: PrincipalId;
  readonly capsule: CapsuleId;
  readonly label: string;
  readonly command: string;
  readonly child: ManagedChild;
  readonly output: ProcessOutput;
  readonly spec: SpawnSpec;
  lastTouch: number;
  stdinOpen: boolean;
  /** `astrid.process.v1.<suffix>` events are published while set. */
  watchSuffix: string | null;
  lastOutputEvent: number;
  outputEventTimer: NodeJS.Timeout | null;
  /** Set once the reaper or an unload took it (it is leaving the registry). */
  reaped: boolean;
}

/** Publishes a process lifecycle event (the kernel bus, as the capsule). */
export type ProcessEventSink = (topic: string, principal: PrincipalId, body: JsonObject) => void;

export const noSuchProcess = (): HostError => new HostError('no-such-process', 'no such process');

/**
 * One capsule's persistent processes, shared by all of its instances. Ids are
 * bearer tokens: entries are keyed by a keyed hash of the id, every lookup
 * also matches the caller's principal and capsule, and every miss — unknown,
 * malformed, someone else's, already reaped — is the same `no-such-process`.
 * A reaper removes exited entries past their retention and stops live ones
 * past their lifetime or idle timeout.
 */
export class PersistentRegistry {
  readonly capsule: CapsuleId;
  private readonly hasher: ProcessIdHasher;
  private readonly logger: Logger;
  private readonly publish: ProcessEventSink;
  private readonly entries = new Map<string, PersistentEntry>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    capsule: CapsuleId,
    hasher: ProcessIdHasher,
    logger: Logger,
    publish: ProcessEventSink,
  ) {
    this.capsule = capsule;
    this.hasher = hasher;
    this.logger = logger;
    this.publish = publish;
  }

  get size(): number {
    return this.entries.size;
  }

  /** A fresh id and its registry key (re-minted on the astronomically unlikely collision). */
  mint(): { id: string; key: string; short: string } {
    for (let i = 0; i < 8; i++) {
      const id = newProcessId();
      const key = this.hasher.key(id);
      if (!this.entries.has(key)) return { id, key, short: this.hasher.short(id) };
    }
    throw new HostError('unknown', 'could not mint a unique process id', 'id collision');
  }

  /** Registry-full checks before a spawn. */
  checkRoom(principal: PrincipalId): void {
    if (this.closed) throw new HostError('unknown', 'the capsule is unloading', 'unloading');
    if (this.entries.size >= MAX_ENTRIES_PER_CAPSULE)
      throw new HostError(
        'registry-full',
        `this capsule already holds ${MAX_ENTRIES_PER_CAPSULE} persistent processes`,
      );
    if (this.retained(principal) >= MAX_RETAINED_PER_PRINCIPAL) {
      throw new HostError(
        'registry-full',
        `principal ${principal} already holds ${MAX_RETAINED_PER_PRINCIPAL} persistent processes (live or exited); release or stop some`,
      );
    }
  }

  add(entry: PersistentEntry): void {
    this.entries.set(entry.key, entry);
    entry.child.changes.notify();
    void entry.child
      .waitExit(new AbortController().signal)
      .then((exit) => this.onExit(entry, exit));
  }

  /** The caller's entry for an id, or `no-such-process`. */
  find(id: string, principal: PrincipalId, capsule: CapsuleId): PersistentEntry {
    if (typeof id !== 'string' || !PROCESS_ID_PATTERN.test(id)) throw noSuchProcess();
    const entry = this.entries.get(this.hasher.key(id));
    if (
      entry === undefined ||
      entry.reaped ||
      entry.principal !== principal ||
      entry.capsule !== capsule
    )
      throw noSuchProcess();
    return entry;
  }

  /** The caller's entry for an id, or null (no error; for release and status-many). */
  lookup(id: string, principal: PrincipalId, capsule: CapsuleId): PersistentEntry | null {
    try {
      return this.find(id, principal, capsule);
    } catch {
      return null;
    }
  }

  list(principal: PrincipalId, capsule: CapsuleId): PersistentEntry[] {
    return [...this.entries.values()].filter(
      (e) => !e.reaped && e.principal === principal && e.capsule === capsule,
    );
  }

  retained(principal: PrincipalId): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.principal === principal) n++;
    return n;
  }

  live(principal: PrincipalId): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.principal === principal && e.child.running) n++;
    return n;
  }

  remove(entry: PersistentEntry): void {
    entry.reaped = true;
    if (entry.outputEventTimer !== null) clearTimeout(entry.outputEventTimer);
    this.entries.delete(entry.key);
  }

  /** Publishes an event for a watched entry. */
  event(entry: PersistentEntry, event: string, body: JsonObject): void {
    if (entry.watchSuffix === null) return;
    const topic = `${PROCESS_TOPIC_PREFIX}.${entry.watchSuffix}.${event}`;
    try {
      this.publish(topic, entry.principal, {
        event,
        process: entry.short,
        label: entry.label,
        ...body,
      });
    } catch (e) {
      this.logger.warn(
        { err: e instanceof Error ? e.message : String(e), topic },
        'could not publish a process event',
      );
    }
  }

  /** New output arrived: a throttled `output` event for watched entries. */
  outputChanged(entry: PersistentEntry): void {
    if (entry.watchSuffix === null || entry.outputEventTimer !== null || entry.reaped) return;
    const wait = Math.max(0, entry.lastOutputEvent + OUTPUT_EVENT_INTERVAL_MS - Date.now());
    entry.outputEventTimer = setTimeout(() => {
      entry.outputEventTimer = null;
      entry.lastOutputEvent = Date.now();
      this.event(entry, 'output', {
        stdout_end: entry.output.ring('stdout').end,
        stderr_end: entry.output.ring('stderr').end,
        buffered_bytes: entry.output.buffered,
      });
    }, wait);
    entry.outputEventTimer.unref();
  }

  private onExit(entry: PersistentEntry, exit: ExitInfo): void {
    this.logger.debug({ process: entry.short, exit }, 'persistent process exited');
    this.event(entry, 'exited', { exit: guestExit(exit) as JsonObject });
  }

  /** Stops a live entry: SIGTERM to its group, SIGKILL after `graceMs` if it is still running. */
  async stop(entry: PersistentEntry, graceMs: number, signal: AbortSignal): Promise<ExitInfo> {
    const child = entry.child;
    if (child.running) {
      child.signal('SIGTERM');
      const grace = AbortSignal.any([signal, AbortSignal.timeout(graceMs)]);
      try {
        await child.waitExit(grace);
      } catch {
        signal.throwIfAborted();
        child.kill();
        try {
          await child.waitExit(AbortSignal.any([signal, AbortSignal.timeout(MAX_STOP_GRACE_MS)]));
        } catch {
          signal.throwIfAborted();
        }
      }
    }
    return child.exit ?? { exitCode: null, signal: 9 };
  }

  /** One reaper pass. */
  sweep(now = Date.now()): void {
    for (const entry of [...this.entries.values()]) {
      if (entry.reaped) continue;
      const child = entry.child;
      if (!child.running) {
        if (child.exitedAt !== null && now - child.exitedAt >= entry.spec.exitRetentionMs)
          this.reap(entry, 'retention');
        continue;
      }
      void child.sample();
      if (now - child.startedAt >= entry.spec.maxLifetimeMs) this.reap(entry, 'max-lifetime');
      else if (now - entry.lastTouch >= entry.spec.idleTimeoutMs) this.reap(entry, 'idle');
    }
  }

  private reap(entry: PersistentEntry, reason: string): void {
    this.logger.info(
      { process: entry.short, reason, label: entry.label },
      'reaping a persistent process',
    );
    this.event(entry, 'reaped', { reason });
    this.remove(entry);
    if (entry.child.running)
      void this.stop(entry, DEFAULT_STOP_GRACE_MS, new AbortController().signal);
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.sweep(), REAPER_TICK_MS);
    this.timer.unref();
  }

  /** Unload or daemon shutdown: SIGKILL every live process, forget everything. */
  killAll(): number {
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    let killed = 0;
    for (const entry of [...this.entries.values()]) {
      if (entry.child.running) {
        entry.child.kill();
        killed++;
      }
      this.event(entry, 'reaped', { reason: 'unload' });
      this.remove(entry);
    }
    return killed;
  }
}
