import type { ReadinessSource } from '../readiness.js';
import type { ManagedChild } from './managed-child.js';
import type { PersistentEntry } from './persistent-registry.js';
import type { ChildView } from './process-ops.js';
import type { ProcessOutput } from './process-output.js';

export const PROCESS_HANDLE_TYPE = 'astrid:process/host@1.0.0#ProcessHandle';
/** Process handles per instance. */
export const MAX_PROCESS_HANDLES = 8;

/**
 * The host side of a `process-handle`: a background child this instance
 * started (killed, with its whole sandbox, when the handle is dropped or the
 * instance resets), or a persistent process the caller attached to (left
 * running when the handle goes).
 */
export class ProcessHandleResource implements ChildView {
  readonly principal: string;
  readonly child: ManagedChild;
  readonly output: ProcessOutput;
  readonly attached: PersistentEntry | null;
  private readonly ownStdin: { open: boolean };
  private readonly untrack: () => void;

  constructor(
    principal: string,
    view: { child: ManagedChild; output: ProcessOutput; stdinOpen: boolean },
    attached: PersistentEntry | null,
    untrack: () => void = () => {},
  ) {
    this.principal = principal;
    this.child = view.child;
    this.output = view.output;
    this.attached = attached;
    this.ownStdin = { open: view.stdinOpen };
    this.untrack = untrack;
  }

  get stdinOpen(): boolean {
    return this.attached === null ? this.ownStdin.open : this.attached.stdinOpen;
  }

  set stdinOpen(open: boolean) {
    if (this.attached === null) this.ownStdin.open = open;
    else this.attached.stdinOpen = open;
  }

  /** Marks an attached persistent process as used (its idle clock). */
  touch(): void {
    if (this.attached !== null) this.attached.lastTouch = Date.now();
  }

  get exited(): ReadinessSource {
    const child = this.child;
    return {
      ready: () => !child.running,
      wait: (s) => child.changes.until(() => !child.running, s),
    };
  }

  get logs(): ReadinessSource {
    const { child, output } = this;
    return {
      ready: () => output.readable,
      wait: (s) => child.changes.until(() => output.readable, s),
    };
  }

  dispose(): void {
    this.untrack();
    if (this.attached === null) this.child.kill();
  }
}
