/** The part of a child process the tracker needs. */
export interface TrackedProcess {
  kill(signal: NodeJS.Signals): boolean;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
}

export const CANCEL_GRACE_MS = 2000;

function running(p: TrackedProcess): boolean {
  return p.exitCode === null && p.signalCode === null;
}

/**
 * The child processes a capsule's tool calls started, by call id. A
 * `tool.v1.request.cancel` for a call interrupts its children (SIGINT, then
 * SIGKILL after a grace period); unloading kills everything still running.
 */
export class ProcessTracker {
  private readonly byCall = new Map<string, Set<TrackedProcess>>();
  private readonly graceMs: number;

  constructor(graceMs = CANCEL_GRACE_MS) {
    this.graceMs = graceMs;
  }

  /** Tracks a child for `callId`; the returned function stops tracking it (call on exit). */
  track(callId: string, child: TrackedProcess): () => void {
    let set = this.byCall.get(callId);
    if (set === undefined) {
      set = new Set();
      this.byCall.set(callId, set);
    }
    set.add(child);
    return () => {
      const s = this.byCall.get(callId);
      s?.delete(child);
      if (s?.size === 0) this.byCall.delete(callId);
    };
  }

  get size(): number {
    let n = 0;
    for (const s of this.byCall.values()) n += s.size;
    return n;
  }

  /** Interrupts the children of the given calls; returns how many were signalled. */
  cancel(callIds: readonly string[]): number {
    let signalled = 0;
    for (const id of callIds) {
      for (const child of this.byCall.get(id) ?? []) {
        if (!running(child)) continue;
        child.kill('SIGINT');
        signalled++;
        const timer = setTimeout(() => {
          if (running(child)) child.kill('SIGKILL');
        }, this.graceMs);
        timer.unref();
      }
    }
    return signalled;
  }

  /** Kills every running child (capsule unload, daemon shutdown). */
  killAll(): number {
    let killed = 0;
    for (const set of this.byCall.values()) {
      for (const child of set) {
        if (running(child)) {
          child.kill('SIGKILL');
          killed++;
        }
      }
    }
    this.byCall.clear();
    return killed;
  }
}
