import { checkPrincipalId, type PrincipalId } from '../../../../core/ids/principal-id.js';
import type { CallerContext } from './caller-context.js';
import type { CapsuleHost } from './capsule-host.js';
import { type InvocationScope, invocationScope } from './invocation-scope.js';
import { ResourceTable } from './resource-table.js';

/**
 * Host-side state of one component instance: its resources and the context
 * of the work in progress. SET fills the caller fields before a call; CLEAR
 * (`clearInvocation`) empties them on every exit path.
 */
export class InstanceState {
  readonly host: CapsuleHost;
  readonly id: number;
  resources = new ResourceTable();
  caller: CallerContext | null = null;
  /** True while an interceptor call runs (a run loop's recv must not overwrite its caller). */
  interceptorActive = false;
  /** Set whenever the guest enters `ipc recv`; the run-loop bound reads and clears it. */
  recvYielded = false;
  /** Host calls in progress (a run loop blocked in the host is not spinning). */
  hostCallsInFlight = 0;
  /** Called by `sys.signal-ready`. */
  onReady: (() => void) | null = null;
  private resetController = new AbortController();
  private combined: AbortSignal;

  constructor(host: CapsuleHost, id: number) {
    this.host = host;
    this.id = id;
    this.combined = AbortSignal.any([host.cancel, this.resetController.signal]);
  }

  /**
   * Fires when the capsule unloads or this instance is reset (returned to
   * the pool, replaced after a timeout): blocking host work of the instance
   * stops waiting.
   */
  get signal(): AbortSignal {
    return this.combined;
  }

  /** The caller's principal when it is a valid id, otherwise the owner. */
  get effectivePrincipal(): PrincipalId {
    const p = this.caller?.principal;
    if (p != null) {
      const checked = checkPrincipalId(p);
      if (checked.ok) return checked.value;
    }
    return this.host.owner;
  }

  /** KV namespace and home/tmp mounts of the work in progress (the invoking principal's). */
  scope(): InvocationScope {
    return invocationScope(this.host.home, this.host.capsuleId, this.effectivePrincipal);
  }

  /** Whether the current work is on behalf of someone other than the owner. */
  get isOverlay(): boolean {
    return this.effectivePrincipal !== this.host.owner;
  }

  setInvocation(caller: CallerContext | null): void {
    this.caller = caller;
    this.interceptorActive = true;
  }

  clearInvocation(): void {
    this.caller = null;
    this.interceptorActive = false;
  }

  /** Drops every resource (subscriptions, pollables, streams) — a pooled instance going back. */
  resetResources(): void {
    const old = this.resources;
    this.resources = new ResourceTable();
    this.resetController.abort(new Error('the instance was reset'));
    this.resetController = new AbortController();
    this.combined = AbortSignal.any([this.host.cancel, this.resetController.signal]);
    old.clear();
  }
}
