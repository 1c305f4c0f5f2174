import type { ByteReader } from './byte-reader.js';

/**
 * What the instrumenter needs to know about an instruction: its structural
 * role. Everything else is copied byte for byte.
 */
export type InstrKind =
  | 'plain'
  /** Ends straight-line execution: br, br_table. */
  | 'jump'
  /** Leaves the function: return and the tail calls. */
  | 'return'
  /** `unreachable`. */
  | 'trap'
  /** Raises an exception: throw, rethrow, throw_ref. */
  | 'throw'
  /** A call that returns here: call, call_indirect, call_ref. */
  | 'call'
  /** May branch away; the fallthrough starts a new metered block: br_if, br_on_*. */
  | 'branch'
  | 'block'
  | 'loop'
  | 'if'
  | 'else'
  | 'end'
  | 'try'
  | 'try_table'
  | 'catch'
  | 'delegate'
  | 'memory.grow';

export interface DecodedInstr {
  readonly kind: InstrKind;
  /** Memory index, for `memory.grow`. */
  readonly memidx: number;
  /** Relative branch depths, for br / br_if / br_table / br_on_*. */
  readonly labels?: readonly number[];
}

const PLAIN: DecodedInstr = Object.freeze({ kind: 'plain', memidx: 0 });
const make = (kind: InstrKind): DecodedInstr => Object.freeze({ kind, memidx: 0 });
const RETURN = make('return');
const TRAP = make('trap');
const THROW = make('throw');
const CALL = make('call');
const BLOCK = make('block');
const LOOP = make('loop');
const IF = make('if');
const ELSE = make('else');
const END = make('end');
const TRY = make('try');
const CATCH = make('catch');
const DELEGATE = make('delegate');

/** Reads a block type: empty (0x40), a value type, or a type index (s33). */
export function skipBlockType(r: ByteReader): void {
  const v = r.s33();
  // (ref null ht) / (ref ht) carry a heap type.
  if (v === -29 || v === -28) r.s33();
}

/** Reads one value type (a byte, or 0x63/0x64 followed by a heap type). */
export function skipValType(r: ByteReader): void {
  const b = r.u8();
  if (b === 0x63 || b === 0x64) r.s33();
}

function skipMemarg(r: ByteReader): void {
  const align = r.u32();
  // Bit 6 of the alignment flags says a memory index follows (multi-memory).
  if (align & 0x40) r.u32();
  r.skipLeb();
}

function decodeFC(r: ByteReader): DecodedInstr {
  const sub = r.u32();
  if (sub <= 7) return PLAIN;
  switch (sub) {
    case 8: // memory.init data mem
    case 10: // memory.copy mem mem
    case 12: // table.init elem table
    case 14: // table.copy table table
      r.u32();
      r.u32();
      return PLAIN;
    case 9: // data.drop
    case 11: // memory.fill
    case 13: // elem.drop
    case 15: // table.grow
    case 16: // table.size
    case 17: // table.fill
      r.u32();
      return PLAIN;
    default:
      return r.fail(`unsupported instruction 0xfc ${sub}`);
  }
}

function decodeFD(r: ByteReader): DecodedInstr {
  const sub = r.u32();
  if (sub <= 11 || sub === 92 || sub === 93) {
    skipMemarg(r);
    return PLAIN;
  }
  if (sub === 12 || sub === 13) {
    r.skip(16);
    return PLAIN;
  }
  if (sub >= 21 && sub <= 34) {
    r.skip(1);
    return PLAIN;
  }
  if (sub >= 84 && sub <= 91) {
    skipMemarg(r);
    r.skip(1);
    return PLAIN;
  }
  if (sub <= 0x113) return PLAIN;
  return r.fail(`unsupported SIMD instruction 0xfd ${sub}`);
}

function decodeFE(r: ByteReader): DecodedInstr {
  const sub = r.u32();
  if (sub === 0x03) {
    r.u8();
    return PLAIN;
  }
  if (sub <= 0x02 || (sub >= 0x10 && sub <= 0x4e)) {
    skipMemarg(r);
    return PLAIN;
  }
  return r.fail(`unsupported atomic instruction 0xfe ${sub}`);
}

/**
 * Decodes the instruction at the reader's position (past its immediates) and
 * says what it is structurally. Covers MVP, sign extension, saturating
 * conversions, bulk memory, reference types, multi-value, tail calls, typed
 * function references, SIMD (incl. relaxed), threads/atomics and exception
 * handling (legacy and `try_table`). GC instructions are refused.
 */
export function decodeInstruction(r: ByteReader): DecodedInstr {
  const op = r.u8();
  if (op >= 0x45 && op <= 0xc4) return PLAIN;
  if (op >= 0x28 && op <= 0x3e) {
    skipMemarg(r);
    return PLAIN;
  }
  switch (op) {
    case 0x00: // unreachable
      return TRAP;
    case 0x0a: // throw_ref
      return THROW;
    case 0x0f: // return
      return RETURN;
    case 0x01: // nop
    case 0x1a: // drop
    case 0x1b: // select
    case 0xd1: // ref.is_null
    case 0xd3: // ref.eq
    case 0xd4: // ref.as_non_null
      return PLAIN;
    case 0x02:
      skipBlockType(r);
      return BLOCK;
    case 0x03:
      skipBlockType(r);
      return LOOP;
    case 0x04:
      skipBlockType(r);
      return IF;
    case 0x05:
      return ELSE;
    case 0x06:
      skipBlockType(r);
      return TRY;
    case 0x07: // catch tag
      r.u32();
      return CATCH;
    case 0x19: // catch_all
      return CATCH;
    case 0x0b:
      return END;
    case 0x18: // delegate label: closes a try
      r.u32();
      return DELEGATE;
    case 0x08: // throw tag
    case 0x09: // rethrow depth
      r.u32();
      return THROW;
    case 0x0c: // br
      return { kind: 'jump', memidx: 0, labels: [r.u32()] };
    case 0x12: // return_call
    case 0x15: // return_call_ref
      r.u32();
      return RETURN;
    case 0x0d: // br_if
    case 0xd5: // br_on_null
    case 0xd6: // br_on_non_null
      return { kind: 'branch', memidx: 0, labels: [r.u32()] };
    case 0x10: // call
    case 0x14: // call_ref
      r.u32();
      return CALL;
    case 0x20: // local.get
    case 0x21: // local.set
    case 0x22: // local.tee
    case 0x23: // global.get
    case 0x24: // global.set
    case 0x25: // table.get
    case 0x26: // table.set
    case 0x3f: // memory.size
    case 0xd2: // ref.func
      r.u32();
      return PLAIN;
    case 0x40: // memory.grow
      return { kind: 'memory.grow', memidx: r.u32() };
    case 0x0e: {
      // br_table: every label, the default last
      const n = r.u32();
      const labels: number[] = [];
      for (let i = 0; i <= n; i++) labels.push(r.u32());
      return { kind: 'jump', memidx: 0, labels };
    }
    case 0x11: // call_indirect type table
      r.u32();
      r.u32();
      return CALL;
    case 0x13: // return_call_indirect
      r.u32();
      r.u32();
      return RETURN;
    case 0x1c: {
      // select with types
      const n = r.u32();
      for (let i = 0; i < n; i++) skipValType(r);
      return PLAIN;
    }
    case 0x1f: {
      // try_table blocktype vec(catch); catch labels count from outside the try_table
      skipBlockType(r);
      const n = r.u32();
      const labels: number[] = [];
      for (let i = 0; i < n; i++) {
        const kind = r.u8();
        if (kind === 0x00 || kind === 0x01) r.u32();
        else if (kind !== 0x02 && kind !== 0x03) r.fail(`invalid try_table catch kind ${kind}`);
        labels.push(r.u32());
      }
      return { kind: 'try_table', memidx: 0, labels };
    }
    case 0x41:
    case 0x42:
      r.skipLeb();
      return PLAIN;
    case 0x43:
      r.skip(4);
      return PLAIN;
    case 0x44:
      r.skip(8);
      return PLAIN;
    case 0xd0: // ref.null heaptype
      r.s33();
      return PLAIN;
    case 0xfc:
      return decodeFC(r);
    case 0xfd:
      return decodeFD(r);
    case 0xfe:
      return decodeFE(r);
    default:
      return r.fail(`unsupported instruction 0x${op.toString(16).padStart(2, '0')}`);
  }
}

/** Skips a constant expression (up to and including its final `end`). */
export function skipConstExpr(r: ByteReader): void {
  for (;;) {
    if (decodeInstruction(r).kind === 'end') return;
  }
}
