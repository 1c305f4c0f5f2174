import { ByteWriter } from '../binary/byte-writer.js';

/**
 * Where a function keeps its running fuel count. `local`: an added i64 local
 * (a register once compiled), loaded from the global at entry and written
 * back before every call, return, trap and at the end, reloaded after calls.
 * `global`: every charge goes straight to the global — used for functions with
 * exception handling, where a handler could resume with a stale local.
 */
export type FuelMode =
  | { readonly kind: 'local'; readonly local: number }
  | { readonly kind: 'global' };

/** Emits the fuel bookkeeping instructions for one function. */
export class FuelEmitter {
  readonly fuelGlobal: number;
  readonly mode: FuelMode;

  constructor(fuelGlobal: number, mode: FuelMode) {
    this.fuelGlobal = fuelGlobal;
    this.mode = mode;
  }

  /** Pushes the current count. */
  private get(w: ByteWriter): void {
    if (this.mode.kind === 'local') w.byte(0x20).u32(this.mode.local);
    else w.byte(0x23).u32(this.fuelGlobal);
  }

  /** Pops into the current count. */
  private set(w: ByteWriter): void {
    if (this.mode.kind === 'local') w.byte(0x21).u32(this.mode.local);
    else w.byte(0x24).u32(this.fuelGlobal);
  }

  /** Writes the local count back to the global (nothing to do in global mode). */
  flush(w: ByteWriter): void {
    if (this.mode.kind === 'local')
      w.byte(0x20).u32(this.mode.local).byte(0x24).u32(this.fuelGlobal);
  }

  /** Re-reads the global into the local (a callee charged its work there). */
  reload(w: ByteWriter): void {
    if (this.mode.kind === 'local')
      w.byte(0x23).u32(this.fuelGlobal).byte(0x21).u32(this.mode.local);
  }

  /**
   * Subtracts a metered block's static cost; a checking block then traps once
   * the count is negative, after writing it back. Negative fuel after a trap
   * therefore always means exhaustion, which the host can tell from any other
   * trap.
   */
  charge(w: ByteWriter, cost: number, check: boolean): void {
    this.get(w);
    w.byte(0x42).s64(BigInt(cost)).byte(0x7d); // i64.const cost; i64.sub
    this.set(w);
    if (!check) return;
    this.get(w);
    w.byte(0x42).s64(0n).byte(0x53); // i64.const 0; i64.lt_s
    w.byte(0x04).byte(0x40); // if
    this.flush(w);
    w.byte(0x00).byte(0x0b); // unreachable; end
  }

  flushBytes(): Uint8Array {
    const w = new ByteWriter(16);
    this.flush(w);
    return w.finish();
  }

  reloadBytes(): Uint8Array {
    const w = new ByteWriter(16);
    this.reload(w);
    return w.finish();
  }
}
