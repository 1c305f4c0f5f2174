/**
 * The key the component bindings put a host resource's destructor under:
 * `Symbol.dispose` where the guest runtime has it, else `Symbol.for('dispose')`
 * (the same fallback the generated bindings use).
 */
const DISPOSE: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('dispose');

/**
 * Drops a host resource now, so its host destructor runs (and its slot is
 * freed) at once instead of when the instance is reset. Exported as
 * `release` for the raw handles the SDK hands out (pollables from
 * `readable()`, `readiness()`, `exited()`); the SDK's own wrappers have
 * `close()`. Release each handle once, and a pollable before the stream,
 * socket or child it came from; objects without a destructor are left
 * alone.
 */
export function dispose(resource: object): void {
  const destructor = (resource as Record<symbol, unknown>)[DISPOSE];
  if (typeof destructor === 'function') (destructor as () => void).call(resource);
}
