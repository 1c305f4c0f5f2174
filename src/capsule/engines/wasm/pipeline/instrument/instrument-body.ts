import { ByteReader } from '../binary/byte-reader.js';
import { ByteWriter } from '../binary/byte-writer.js';
import { decodeInstruction, skipValType } from '../binary/instructions.js';
import { FuelEmitter, type FuelMode } from './fuel-emitter.js';

const I64 = 0x7e;

/** A metered block: straight-line code charged once where it starts. */
interface Meter {
  charge: number;
  /** Function entries and loop headers also check the counter. */
  readonly check: boolean;
  /**
   * A merge meter folded into its predecessors: not emitted; its cost is
   * added to every meter in `into` instead.
   */
  folded: boolean;
  /** Folded meters whose cost this meter also charges. */
  readonly includes: Meter[];
}

type Part = Uint8Array | Meter;

function newMeter(check: boolean): Meter {
  return { charge: 0, check, folded: false, includes: [] };
}

/** An open block, for tracking who reaches its end. */
interface Frame {
  readonly kind: 'block' | 'if' | 'loop' | 'try';
  /** Meters that jump (`br`) to this block's end. */
  readonly jumpers: Meter[];
  /** Something reaches the end conditionally or from a table: the merge cannot be folded. */
  foldable: boolean;
  /** For `if`: the then-arm's fallthrough meter, once `else` is seen. */
  thenMeter: Meter | null;
  hasElse: boolean;
}

export interface BodyContext {
  readonly fuelGlobal: number;
  /** memidx → index of its grow helper function, assigned on first use. */
  readonly growHelpers: Map<number, number>;
  readonly firstHelperIndex: number;
  growSites: number;
}

export interface FunctionShape {
  readonly paramCount: number;
  /** Block type of the function's results (`0x40`, a value type, or a type index). */
  readonly resultBlockType: Uint8Array;
}

/** Whether a body uses exception handling (such functions keep fuel in the global). */
function usesExceptions(bytes: Uint8Array, start: number, end: number): boolean {
  const r = new ByteReader(bytes, start, end);
  while (!r.done) {
    const kind = decodeInstruction(r).kind;
    if (
      kind === 'try' ||
      kind === 'try_table' ||
      kind === 'catch' ||
      kind === 'delegate' ||
      kind === 'throw'
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Rewrites one function body (`bytes[start, end)`, locals + expression) and
 * returns it size-prefixed.
 *
 * Code is split into metered blocks — runs broken at `if`, `loop`,
 * `else`/`catch`, `end`, jump, return and trap — each charged its instruction
 * count where it starts. A conditional branch does not break a run (its
 * remainder is charged up front), and the run after a block's `end` is folded
 * into the runs that reach it when all of them arrive unconditionally. So fuel
 * is a deterministic upper bound on instructions executed. Only the function
 * entry and loop headers check the counter: every loop iteration and every
 * call passes a check, so no guest code runs unmetered, while other runs pay
 * one subtraction (on a register, in local mode). `memory.grow` becomes a call
 * to the capped helper.
 */
export function instrumentBody(
  bytes: Uint8Array,
  start: number,
  end: number,
  shape: FunctionShape,
  ctx: BodyContext,
): Uint8Array {
  const r = new ByteReader(bytes, start, end);
  const localGroups = r.u32();
  const groupsStart = r.pos;
  let localCount = shape.paramCount;
  for (let i = 0; i < localGroups; i++) {
    localCount += r.u32();
    skipValType(r);
  }
  const bodyStart = r.pos;
  const mode: FuelMode = usesExceptions(bytes, bodyStart, end)
    ? { kind: 'global' }
    : { kind: 'local', local: localCount };
  const emit = new FuelEmitter(ctx.fuelGlobal, mode);

  const parts: Part[] = [];
  if (mode.kind === 'local') {
    parts.push(new ByteWriter(8).u32(localGroups + 1).finish());
    parts.push(bytes.subarray(groupsStart, bodyStart));
    parts.push(Uint8Array.of(0x01, I64));
    // Load the counter, then run the original body inside a block with the
    // function's results, so every way out of it falls into the final flush.
    parts.push(emit.reloadBytes());
    parts.push(Uint8Array.of(0x02, ...shape.resultBlockType));
  } else {
    parts.push(bytes.subarray(start, bodyStart));
  }

  let copyFrom = bodyStart;
  let meter = newMeter(true);
  let reachable = true;
  parts.push(meter);
  const frames: Frame[] = [];
  const copyUpTo = (at: number) => {
    parts.push(bytes.subarray(copyFrom, at));
    copyFrom = at;
  };
  const startMeter = (check: boolean): Meter => {
    copyUpTo(r.pos);
    meter = newMeter(check);
    parts.push(meter);
    return meter;
  };
  const open = (kind: Frame['kind']) =>
    frames.push({ kind, jumpers: [], foldable: kind !== 'try', thenMeter: null, hasElse: false });
  /** The frame a relative branch depth names, or undefined for the function body. */
  const target = (depth: number) => frames[frames.length - 1 - depth];
  const markConditional = (labels: readonly number[]) => {
    for (const l of labels) {
      const f = target(l);
      if (f !== undefined) f.foldable = false;
    }
  };

  for (;;) {
    if (r.done) r.fail('function body ended without a final end');
    const instrStart = r.pos;
    const instr = decodeInstruction(r);
    switch (instr.kind) {
      case 'plain':
        meter.charge++;
        break;
      case 'call':
        meter.charge++;
        if (mode.kind === 'local') {
          copyUpTo(instrStart);
          parts.push(emit.flushBytes());
          copyUpTo(r.pos);
          parts.push(emit.reloadBytes());
        }
        break;
      case 'return':
      case 'trap':
        meter.charge++;
        if (mode.kind === 'local') {
          copyUpTo(instrStart);
          parts.push(emit.flushBytes());
        }
        startMeter(false);
        reachable = false;
        break;
      case 'block':
        // Entering a block is not a branch: its body continues the current run.
        meter.charge++;
        open('block');
        break;
      case 'try':
        meter.charge++;
        open('try');
        break;
      case 'try_table':
        meter.charge++;
        markConditional(instr.labels ?? []);
        open('try');
        break;
      case 'if':
        meter.charge++;
        open('if');
        startMeter(false);
        break;
      case 'loop':
        meter.charge++;
        open('loop');
        startMeter(true);
        break;
      case 'else': {
        const f = frames[frames.length - 1];
        if (f?.kind === 'if') {
          f.hasElse = true;
          f.thenMeter = reachable ? meter : null;
        }
        startMeter(false);
        reachable = true;
        break;
      }
      case 'catch': {
        const f = frames[frames.length - 1];
        if (f !== undefined) f.foldable = false;
        startMeter(false);
        reachable = true;
        break;
      }
      case 'branch':
        // A conditional branch does not end the run: the rest of it is
        // charged up front and overcharged only when the branch is taken.
        meter.charge++;
        markConditional(instr.labels ?? []);
        break;
      case 'jump': {
        meter.charge++;
        const labels = instr.labels ?? [];
        if (labels.length === 1) {
          // br: an unconditional arrival at the target's end.
          const f = target(labels[0] as number);
          if (f !== undefined && f.kind !== 'loop') f.jumpers.push(meter);
        } else markConditional(labels);
        startMeter(false);
        reachable = false;
        break;
      }
      case 'throw':
        meter.charge++;
        startMeter(false);
        reachable = false;
        break;
      case 'delegate':
        frames.pop();
        startMeter(false);
        reachable = true;
        break;
      case 'end': {
        const f = frames.pop();
        if (f === undefined) {
          if (r.pos !== end) r.fail('instructions after the function end');
          copyUpTo(r.pos);
          if (mode.kind === 'local') {
            // The original final `end` closed the wrapper block: flush, then end the function.
            parts.push(emit.flushBytes());
            parts.push(Uint8Array.of(0x0b));
          }
          return assemble(parts, emit);
        }
        // Who arrives at the code after this end? Branches to a loop go to its
        // header, so only its fallthrough arrives after a loop.
        const arrivals = f.kind === 'loop' ? [] : [...f.jumpers];
        if (reachable) arrivals.push(meter);
        if (f.kind === 'if') {
          if (!f.hasElse)
            f.foldable = false; // a false condition arrives straight from the `if`
          else if (f.thenMeter !== null) arrivals.push(f.thenMeter);
        }
        const next = startMeter(false);
        if (f.foldable && arrivals.length > 0) {
          next.folded = true;
          for (const m of arrivals) m.includes.push(next);
        }
        reachable = arrivals.length > 0 || !f.foldable;
        break;
      }
      case 'memory.grow': {
        meter.charge++;
        copyUpTo(instrStart);
        let helper = ctx.growHelpers.get(instr.memidx);
        if (helper === undefined) {
          helper = ctx.firstHelperIndex + ctx.growHelpers.size;
          ctx.growHelpers.set(instr.memidx, helper);
        }
        parts.push(new ByteWriter(8).byte(0x10).u32(helper).finish());
        copyFrom = r.pos;
        ctx.growSites++;
        break;
      }
    }
  }
}

/** A meter's own charge plus everything folded into it (folds only point forward). */
function costOf(m: Meter, memo: Map<Meter, number>): number {
  const known = memo.get(m);
  if (known !== undefined) return known;
  let cost = m.charge;
  for (const inc of m.includes) cost += costOf(inc, memo);
  memo.set(m, cost);
  return cost;
}

function assemble(parts: readonly Part[], emit: FuelEmitter): Uint8Array {
  const out = new ByteWriter(1024);
  const memo = new Map<Meter, number>();
  for (const part of parts) {
    if (part instanceof Uint8Array) {
      out.bytes(part);
      continue;
    }
    if (part.folded) continue;
    const cost = costOf(part, memo);
    if (part.check) emit.charge(out, Math.max(1, cost), true);
    else if (cost > 0) emit.charge(out, cost, false);
  }
  const body = out.finish();
  return new ByteWriter(body.length + 5).sized(body).finish();
}
