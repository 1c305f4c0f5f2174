/** How long one `Atomics.wait` sleeps before the deadline is checked again. */
const WAIT_SLICE_MS = 1000;

/**
 * Blocks the calling thread until `flags[index]` is no longer 0, or until
 * `patienceMs` pass (returns false). The flag is re-read after every wake-up:
 * a notify meant for an earlier answer can arrive after the next request was
 * posted, so "woken" never means "answered".
 *
 * For the first `spinMs` the thread busy-reads the flag instead of
 * sleeping: a host answer usually lands within tens of microseconds, and
 * catching it without a futex sleep saves a thread wake-up on every call.
 */
export function awaitFlag(
  flags: Int32Array,
  index: number,
  patienceMs: number,
  spinMs = 0,
): boolean {
  if (spinMs > 0) {
    const spinUntil = performance.now() + spinMs;
    do {
      for (let i = 0; i < 64; i++) if (Atomics.load(flags, index) !== 0) return true;
    } while (performance.now() < spinUntil);
  }
  const deadline = Date.now() + patienceMs;
  while (Atomics.load(flags, index) === 0) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(flags, index, 0, Math.min(left, WAIT_SLICE_MS));
  }
  return true;
}
