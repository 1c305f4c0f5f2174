import { ByteWriter } from '../binary/byte-writer.js';

const I32 = 0x7f;
const I64 = 0x7e;

/**
 * The body (size-prefixed) of the `memory.grow` replacement for memory
 * `memidx`, of type (i32) -> i32: growth past the page cap in global `cap` is
 * refused with -1 (what a failed grow returns); a successful grow raises the
 * peak in global `peak`.
 */
export function growHelperBody(memidx: number, cap: number, peak: number): Uint8Array {
  const w = new ByteWriter(80);
  w.u32(2).u32(1).byte(I32).u32(1).byte(I64); // locals: $old i32, $new i64
  w.byte(0x3f).u32(memidx); // memory.size
  w.byte(0x21).u32(1); // local.set $old
  w.byte(0x20).u32(1).byte(0xad); // local.get $old; i64.extend_i32_u
  w.byte(0x20).u32(0).byte(0xad); // local.get $delta; i64.extend_i32_u
  w.byte(0x7c); // i64.add
  w.byte(0x22).u32(2); // local.tee $new
  w.byte(0x23).u32(cap).byte(0xad); // global.get cap; i64.extend_i32_u
  w.byte(0x56); // i64.gt_u
  w.byte(0x04).byte(0x40).byte(0x41).s32(-1).byte(0x0f).byte(0x0b); // if (i32.const -1; return) end
  w.byte(0x20).u32(0); // local.get $delta
  w.byte(0x40).u32(memidx); // memory.grow
  w.byte(0x22).u32(1); // local.tee $old
  w.byte(0x41).s32(-1).byte(0x47); // i32.const -1; i32.ne
  w.byte(0x04).byte(0x40); // if
  w.byte(0x20).u32(2).byte(0xa7); //   local.get $new; i32.wrap_i64
  w.byte(0x23).u32(peak).byte(0x4b); //   global.get peak; i32.gt_u
  w.byte(0x04).byte(0x40); //   if
  w.byte(0x20).u32(2).byte(0xa7).byte(0x24).u32(peak); //     peak = $new
  w.byte(0x0b).byte(0x0b); //   end end
  w.byte(0x20).u32(1); // local.get $old
  w.byte(0x0b); // end
  const body = w.finish();
  return new ByteWriter(body.length + 5).sized(body).finish();
}
