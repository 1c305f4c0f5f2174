import { ByteReader } from './byte-reader.js';
import { isCoreModule, readSections, SECTION } from './core-module.js';

export const COMPONENT_VERSION = [0x0d, 0x00, 0x01, 0x00] as const;

export function isComponent(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 8 &&
    bytes[0] === 0x00 &&
    bytes[1] === 0x61 &&
    bytes[2] === 0x73 &&
    bytes[3] === 0x6d &&
    COMPONENT_VERSION.every((b, i) => bytes[4 + i] === b)
  );
}

/** Component section ids. */
const C = { coreModule: 1, component: 4, import: 10, export: 11 } as const;

/** Sorts of a component export. */
export type ExportSort = 'core' | 'func' | 'value' | 'type' | 'component' | 'instance';
const SORTS: readonly ExportSort[] = ['core', 'func', 'value', 'type', 'component', 'instance'];

export interface ComponentImport {
  readonly name: string;
  /** 'module' | 'func' | 'value' | 'type' (an alias of a known type) | 'resource' (an abstract resource) | 'component' | 'instance'. */
  readonly kind: string;
}

export interface ExportEntry {
  readonly name: string;
  readonly sort: ExportSort;
  readonly index: number;
}

/** One export section (component-level or of an embedded core module): function exports only. */
export interface FunctionExportSection {
  readonly level: 'component' | 'core';
  readonly functions: ReadonlyMap<string, number>;
}

export interface ComponentStructure {
  /** Top-level imports, in order. */
  readonly imports: readonly ComponentImport[];
  /** Top-level exports, in order. */
  readonly exports: readonly ExportEntry[];
  /** Every export section found, nested components and core modules included. */
  readonly exportSections: readonly FunctionExportSection[];
  readonly coreModuleCount: number;
}

const EXTERN_KINDS = ['module', 'func', 'value', 'type', 'component', 'instance'];

/** `importname'` / `exportname'`: a discriminant byte then a name (0x01 adds a version suffix). */
function readExternName(r: ByteReader): string {
  const tag = r.u8();
  if (tag !== 0x00 && tag !== 0x01) r.fail(`unknown extern name encoding 0x${tag.toString(16)}`);
  const name = r.name();
  if (tag === 0x01) return name + r.name();
  return name;
}

function skipExternDesc(r: ByteReader): string {
  const kind = r.u8();
  switch (kind) {
    case 0x00:
      if (r.u8() !== 0x11) r.fail('malformed core module extern desc');
      r.u32();
      break;
    case 0x01:
    case 0x04:
    case 0x05:
      r.u32();
      break;
    case 0x02: {
      const bound = r.u8();
      if (bound === 0x00) r.u32();
      else r.s33();
      break;
    }
    case 0x03: {
      const bound = r.u8();
      if (bound === 0x00) {
        r.u32();
        return 'type';
      }
      if (bound !== 0x01) r.fail('malformed type bound');
      return 'resource';
    }
    default:
      r.fail(`unknown extern desc kind ${kind}`);
  }
  return EXTERN_KINDS[kind] as string;
}

function coreFunctionExports(module: Uint8Array): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of readSections(module)) {
    if (s.id !== SECTION.export) continue;
    const r = new ByteReader(module, s.start, s.end);
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const name = r.name();
      const kind = r.u8();
      const index = r.u32();
      if (kind === 0x00) out.set(name, index);
    }
  }
  return out;
}

/**
 * Reads a component's structure: its top-level imports and exports, and every
 * export section inside it (for the stub rule). Throws `WasmDecodeError` on
 * malformed input.
 */
export function readComponent(bytes: Uint8Array): ComponentStructure {
  const imports: ComponentImport[] = [];
  const exports: ExportEntry[] = [];
  const exportSections: FunctionExportSection[] = [];
  let coreModuleCount = 0;

  const walk = (start: number, end: number, topLevel: boolean) => {
    const r = new ByteReader(bytes, start, end);
    if (!isComponent(bytes.subarray(start, end))) r.fail('not a WebAssembly component');
    r.pos = start + 8;
    while (!r.done) {
      const id = r.u8();
      const size = r.u32();
      const payloadStart = r.pos;
      const payloadEnd = payloadStart + size;
      r.skip(size);
      const p = new ByteReader(bytes, payloadStart, payloadEnd);
      if (id === C.coreModule) {
        coreModuleCount++;
        const module = bytes.subarray(payloadStart, payloadEnd);
        if (!isCoreModule(module)) p.fail('embedded core module has a bad header');
        exportSections.push({ level: 'core', functions: coreFunctionExports(module) });
      } else if (id === C.component) {
        walk(payloadStart, payloadEnd, false);
      } else if (id === C.import && topLevel) {
        const n = p.u32();
        for (let i = 0; i < n; i++) {
          const name = readExternName(p);
          imports.push({ name, kind: skipExternDesc(p) });
        }
      } else if (id === C.export) {
        const n = p.u32();
        const functions = new Map<string, number>();
        for (let i = 0; i < n; i++) {
          const name = readExternName(p);
          const sortByte = p.u8();
          if (sortByte === 0x00) p.u8(); // core sort
          const index = p.u32();
          if (p.u8() === 0x01) skipExternDesc(p);
          const sort = SORTS[sortByte];
          if (sort === undefined) return p.fail(`unknown export sort ${sortByte}`);
          if (sort === 'func') functions.set(name, index);
          if (topLevel) exports.push({ name, sort, index });
        }
        exportSections.push({ level: 'component', functions });
      }
    }
  };
  walk(0, bytes.length, true);
  return { imports, exports, exportSections, coreModuleCount };
}
