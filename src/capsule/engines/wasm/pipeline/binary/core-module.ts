import { ByteReader } from './byte-reader.js';
import { skipConstExpr, skipValType } from './instructions.js';

export const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d] as const;
export const CORE_VERSION = [0x01, 0x00, 0x00, 0x00] as const;

export const SECTION = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
  tag: 13,
} as const;

/** Canonical order of non-custom sections (the tag section sits between memory and global). */
export const SECTION_ORDER: readonly number[] = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

export interface RawSection {
  readonly id: number;
  /** Payload bounds within the module bytes. */
  readonly start: number;
  readonly end: number;
}

export interface CoreExport {
  readonly name: string;
  /** 0 func, 1 table, 2 memory, 3 global, 4 tag. */
  readonly kind: number;
  readonly index: number;
}

export interface MemoryDef {
  readonly initialPages: number;
  readonly maximumPages: number | null;
  readonly memory64: boolean;
  readonly shared: boolean;
}

export interface CoreModuleInfo {
  readonly sections: readonly RawSection[];
  readonly importedFuncs: number;
  readonly importedGlobals: number;
  readonly importedMemories: number;
  readonly definedFuncs: number;
  readonly definedGlobals: number;
  readonly memories: readonly MemoryDef[];
  readonly exports: readonly CoreExport[];
  /** Function types by type index. */
  readonly funcTypes: readonly FuncType[];
  /** The type index of each defined function. */
  readonly funcTypeIndices: readonly number[];
}

export interface FuncType {
  /** The encoded `vec(param) vec(result)` bytes as hex: equal keys, equal types. */
  readonly key: string;
  readonly params: number;
  /** Each result's value-type encoding. */
  readonly results: readonly Uint8Array[];
}

export function isCoreModule(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 8 &&
    WASM_MAGIC.every((b, i) => bytes[i] === b) &&
    CORE_VERSION.every((b, i) => bytes[4 + i] === b)
  );
}

/** Splits a core module into its sections (payload ranges), validating the framing. */
export function readSections(bytes: Uint8Array): RawSection[] {
  const r = new ByteReader(bytes);
  if (!isCoreModule(bytes)) r.fail('not a WebAssembly core module');
  r.pos = 8;
  const sections: RawSection[] = [];
  while (!r.done) {
    const id = r.u8();
    const size = r.u32();
    const start = r.pos;
    r.skip(size);
    sections.push({ id, start, end: start + size });
  }
  return sections;
}

function readLimits(r: ByteReader): MemoryDef {
  const flags = r.u8();
  const memory64 = (flags & 0x04) !== 0;
  const read = () => (memory64 ? Number(r.u64()) : r.u32());
  const initialPages = read();
  const maximumPages = flags & 0x01 ? read() : null;
  return { initialPages, maximumPages, memory64, shared: (flags & 0x02) !== 0 };
}

function readFuncType(r: ByteReader): FuncType {
  const form = r.u8();
  if (form !== 0x60) {
    return r.fail(
      `type section entry 0x${form.toString(16)} is not a function type (GC types are not supported)`,
    );
  }
  const start = r.pos;
  const params = r.u32();
  for (let i = 0; i < params; i++) skipValType(r);
  const resultCount = r.u32();
  const results: Uint8Array[] = [];
  for (let i = 0; i < resultCount; i++) {
    const at = r.pos;
    skipValType(r);
    results.push(r.bytes.subarray(at, r.pos));
  }
  return { key: Buffer.from(r.bytes.subarray(start, r.pos)).toString('hex'), params, results };
}

/** Reads what instrumentation needs: index spaces, memories, exports and function types. */
export function inspectCoreModule(bytes: Uint8Array): CoreModuleInfo {
  const sections = readSections(bytes);
  let importedFuncs = 0;
  let importedGlobals = 0;
  let importedMemories = 0;
  let definedFuncs = 0;
  let definedGlobals = 0;
  const memories: MemoryDef[] = [];
  const exports: CoreExport[] = [];
  const funcTypes: FuncType[] = [];
  const funcTypeIndices: number[] = [];
  for (const s of sections) {
    const r = new ByteReader(bytes, s.start, s.end);
    switch (s.id) {
      case SECTION.type: {
        const n = r.u32();
        for (let i = 0; i < n; i++) funcTypes.push(readFuncType(r));
        break;
      }
      case SECTION.import: {
        const n = r.u32();
        for (let i = 0; i < n; i++) {
          r.name();
          r.name();
          const kind = r.u8();
          if (kind === 0x00) {
            r.u32();
            importedFuncs++;
          } else if (kind === 0x01) {
            skipValType(r);
            readLimitsTable(r);
          } else if (kind === 0x02) {
            readLimits(r);
            importedMemories++;
          } else if (kind === 0x03) {
            skipValType(r);
            r.u8();
            importedGlobals++;
          } else if (kind === 0x04) {
            r.u8();
            r.u32();
          } else r.fail(`unknown import kind ${kind}`);
        }
        break;
      }
      case SECTION.function:
        definedFuncs = r.u32();
        for (let i = 0; i < definedFuncs; i++) funcTypeIndices.push(r.u32());
        break;
      case SECTION.memory: {
        const n = r.u32();
        for (let i = 0; i < n; i++) memories.push(readLimits(r));
        break;
      }
      case SECTION.global: {
        definedGlobals = r.u32();
        for (let i = 0; i < definedGlobals; i++) {
          skipValType(r);
          r.u8();
          skipConstExpr(r);
        }
        break;
      }
      case SECTION.export: {
        const n = r.u32();
        for (let i = 0; i < n; i++) exports.push({ name: r.name(), kind: r.u8(), index: r.u32() });
        break;
      }
      default:
        break;
    }
  }
  return {
    sections,
    importedFuncs,
    importedGlobals,
    importedMemories,
    definedFuncs,
    definedGlobals,
    memories,
    exports,
    funcTypes,
    funcTypeIndices,
  };
}

function readLimitsTable(r: ByteReader): void {
  const flags = r.u8();
  const wide = (flags & 0x04) !== 0;
  if (wide) r.u64();
  else r.u32();
  if (flags & 0x01) {
    if (wide) r.u64();
    else r.u32();
  }
}
