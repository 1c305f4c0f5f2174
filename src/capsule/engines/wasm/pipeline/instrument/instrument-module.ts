import { ByteReader, WasmDecodeError } from '../binary/byte-reader.js';
import { ByteWriter } from '../binary/byte-writer.js';
import {
  inspectCoreModule,
  type RawSection,
  SECTION,
  SECTION_ORDER,
} from '../binary/core-module.js';
import { growHelperBody } from './grow-helper.js';
import { type BodyContext, instrumentBody } from './instrument-body.js';

/** Bump when the transform changes: cached artifacts are rebuilt. */
export const INSTRUMENTER_VERSION = '1';

/** Exported by every instrumented module. */
export const FUEL_EXPORT = 'astrid:fuel';
export const MEM_CAP_EXPORT = 'astrid:mem-cap';
export const MEM_PEAK_EXPORT = 'astrid:mem-peak';

/** Fuel a module starts with, covering start functions before the host sets a budget. */
export const INITIAL_FUEL = 10_000_000_000n;
/** 65,536 pages = 4 GiB: no cap until the host sets one. */
export const UNCAPPED_PAGES = 65_536;

export interface InstrumentResult {
  readonly bytes: Uint8Array;
  /** Largest declared initial size of the module's own memories, in pages. */
  readonly initialPages: number;
  readonly functionsInstrumented: number;
  readonly growSites: number;
}

const I32 = 0x7f;
const I64 = 0x7e;

function vecSection(count: number, entries: Uint8Array[]): Uint8Array {
  const w = new ByteWriter();
  w.u32(count);
  for (const e of entries) w.bytes(e);
  return w.finish();
}

/** Looks up function types by their encoding, appending new ones at the end. */
class TypeTable {
  private readonly keys: string[];
  readonly added: Uint8Array[] = [];

  constructor(existing: readonly string[]) {
    this.keys = [...existing];
  }

  /** Index of the type with this `vec(params) vec(results)` encoding. */
  ensure(signature: Uint8Array): number {
    const key = Buffer.from(signature).toString('hex');
    const found = this.keys.indexOf(key);
    if (found >= 0) return found;
    this.keys.push(key);
    this.added.push(Uint8Array.of(0x60, ...signature));
    return this.keys.length - 1;
  }
}

/**
 * Instruments a core module: a fuel counter charged with the instruction
 * count of every metered block and checked at every function entry and loop
 * header (so every loop iteration costs at least 1 and consumption is
 * deterministic), and every `memory.grow` routed through a helper enforcing a
 * per-call page cap and recording the peak. Adds three exported mutable
 * globals (`astrid:fuel` i64, `astrid:mem-cap` and `astrid:mem-peak` i32
 * pages) and only appends types, functions and globals, so every existing
 * index keeps its meaning.
 */
export function instrumentModule(bytes: Uint8Array): InstrumentResult {
  const info = inspectCoreModule(bytes);
  for (const m of info.memories) {
    if (m.memory64) throw new WasmDecodeError('64-bit memories are not supported', 0);
  }
  for (const name of [FUEL_EXPORT, MEM_CAP_EXPORT, MEM_PEAK_EXPORT]) {
    if (info.exports.some((e) => e.name === name)) {
      throw new WasmDecodeError(`the module already exports ${JSON.stringify(name)}`, 0);
    }
  }
  const fuel = info.importedGlobals + info.definedGlobals;
  const cap = fuel + 1;
  const peak = fuel + 2;
  const initialPages = info.memories.reduce((max, m) => Math.max(max, m.initialPages), 0);
  const types = new TypeTable(info.funcTypes.map((t) => t.key));

  const ctx: BodyContext = {
    fuelGlobal: fuel,
    growHelpers: new Map(),
    firstHelperIndex: info.importedFuncs + info.definedFuncs,
    growSites: 0,
  };

  // Rewrite the code section first: it decides which types and helpers are added.
  const codeSection = info.sections.find((s) => s.id === SECTION.code);
  const bodies: Uint8Array[] = [];
  if (codeSection !== undefined) {
    const r = new ByteReader(bytes, codeSection.start, codeSection.end);
    const n = r.u32();
    if (n !== info.definedFuncs)
      r.fail(`code section has ${n} bodies for ${info.definedFuncs} functions`);
    for (let i = 0; i < n; i++) {
      const size = r.u32();
      const start = r.pos;
      r.skip(size);
      const type = info.funcTypes[info.funcTypeIndices[i] as number];
      if (type === undefined) return r.fail(`function ${i} has an unknown type`);
      let resultBlockType: Uint8Array;
      if (type.results.length === 0) resultBlockType = Uint8Array.of(0x40);
      else if (type.results.length === 1) resultBlockType = type.results[0] as Uint8Array;
      else {
        const sig = new ByteWriter().u32(0).u32(type.results.length);
        for (const res of type.results) sig.bytes(res);
        resultBlockType = new ByteWriter(8).s32(types.ensure(sig.finish())).finish();
      }
      bodies.push(
        instrumentBody(
          bytes,
          start,
          start + size,
          { paramCount: type.params, resultBlockType },
          ctx,
        ),
      );
    }
  }
  const helpers = [...ctx.growHelpers.entries()].sort((a, b) => a[1] - b[1]);
  const growType = helpers.length > 0 ? types.ensure(Uint8Array.of(0x01, I32, 0x01, I32)) : -1;
  for (const [memidx] of helpers) bodies.push(growHelperBody(memidx, cap, peak));

  const existing = (id: number) => info.sections.find((s) => s.id === id);
  const payloadOf = (s: RawSection) => bytes.subarray(s.start, s.end);
  const entriesAfterCount = (s: RawSection | undefined): { count: number; rest: Uint8Array } => {
    if (s === undefined) return { count: 0, rest: new Uint8Array(0) };
    const r = new ByteReader(bytes, s.start, s.end);
    const count = r.u32();
    return { count, rest: bytes.subarray(r.pos, s.end) };
  };

  const replaced = new Map<number, Uint8Array>();
  if (types.added.length > 0) {
    const t = entriesAfterCount(existing(SECTION.type));
    replaced.set(SECTION.type, vecSection(t.count + types.added.length, [t.rest, ...types.added]));
  }
  if (helpers.length > 0) {
    const f = entriesAfterCount(existing(SECTION.function));
    const added = new ByteWriter();
    for (let i = 0; i < helpers.length; i++) added.u32(growType);
    replaced.set(SECTION.function, vecSection(f.count + helpers.length, [f.rest, added.finish()]));
  }
  {
    const g = entriesAfterCount(existing(SECTION.global));
    const added = new ByteWriter()
      .byte(I64)
      .byte(0x01)
      .byte(0x42)
      .s64(INITIAL_FUEL)
      .byte(0x0b)
      .byte(I32)
      .byte(0x01)
      .byte(0x41)
      .s32(UNCAPPED_PAGES)
      .byte(0x0b)
      .byte(I32)
      .byte(0x01)
      .byte(0x41)
      .s32(initialPages)
      .byte(0x0b)
      .finish();
    replaced.set(SECTION.global, vecSection(g.count + 3, [g.rest, added]));
  }
  {
    const e = entriesAfterCount(existing(SECTION.export));
    const added = new ByteWriter()
      .name(FUEL_EXPORT)
      .byte(0x03)
      .u32(fuel)
      .name(MEM_CAP_EXPORT)
      .byte(0x03)
      .u32(cap)
      .name(MEM_PEAK_EXPORT)
      .byte(0x03)
      .u32(peak)
      .finish();
    replaced.set(SECTION.export, vecSection(e.count + 3, [e.rest, added]));
  }
  if (bodies.length > 0) replaced.set(SECTION.code, vecSection(bodies.length, bodies));

  // Emit in canonical order: original sections (custom ones where they were),
  // new sections slotted in before the first section that must follow them.
  const out = new ByteWriter(bytes.length + bytes.length / 4 + 1024);
  out.bytes(bytes.subarray(0, 8));
  const pending = SECTION_ORDER.filter((id) => replaced.has(id) && existing(id) === undefined);
  const emitSection = (id: number, payload: Uint8Array) => out.byte(id).sized(payload);
  const rank = (id: number) => SECTION_ORDER.indexOf(id);
  for (const s of info.sections) {
    if (s.id !== SECTION.custom) {
      while (pending.length > 0 && rank(pending[0] as number) < rank(s.id)) {
        const id = pending.shift() as number;
        emitSection(id, replaced.get(id) as Uint8Array);
      }
    }
    emitSection(s.id, replaced.get(s.id) ?? payloadOf(s));
  }
  for (const id of pending) emitSection(id, replaced.get(id) as Uint8Array);
  return {
    bytes: out.finish(),
    initialPages,
    functionsInstrumented: info.definedFuncs,
    growSites: ctx.growSites,
  };
}
