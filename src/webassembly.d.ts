/**
 * The WebAssembly JavaScript API as Node.js provides it. TypeScript ships
 * these declarations only in its DOM libs, which this Node-only project does
 * not load; this file declares the subset the runtime uses.
 */
declare namespace WebAssembly {
  type ImportValue = ExportValue | number | bigint;
  type ExportValue = ((...args: never[]) => unknown) | Global | Memory | Table;
  type Exports = Record<string, ExportValue>;
  type ModuleImports = Record<string, ImportValue>;
  type Imports = Record<string, ModuleImports>;
  type ValueType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'externref' | 'anyfunc';

  interface ModuleExportDescriptor {
    kind: 'function' | 'table' | 'memory' | 'global' | 'tag';
    name: string;
  }
  interface ModuleImportDescriptor {
    kind: 'function' | 'table' | 'memory' | 'global' | 'tag';
    module: string;
    name: string;
  }

  class Module {
    constructor(bytes: BufferSource);
    static exports(module: Module): ModuleExportDescriptor[];
    static imports(module: Module): ModuleImportDescriptor[];
    static customSections(module: Module, name: string): ArrayBuffer[];
  }

  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Exports;
  }

  interface GlobalDescriptor {
    value: ValueType;
    mutable?: boolean;
  }
  class Global {
    constructor(descriptor: GlobalDescriptor, value?: unknown);
    value: unknown;
    valueOf(): unknown;
  }

  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }

  interface TableDescriptor {
    element: 'anyfunc' | 'externref';
    initial: number;
    maximum?: number;
  }
  class Table {
    constructor(descriptor: TableDescriptor, value?: unknown);
    readonly length: number;
    get(index: number): unknown;
    grow(delta: number, value?: unknown): number;
    set(index: number, value?: unknown): void;
  }

  interface WebAssemblyInstantiatedSource {
    instance: Instance;
    module: Module;
  }

  class CompileError extends Error {}
  class LinkError extends Error {}
  class RuntimeError extends Error {}

  function validate(bytes: BufferSource): boolean;
  function compile(bytes: BufferSource): Promise<Module>;
  function instantiate(
    bytes: BufferSource,
    imports?: Imports,
  ): Promise<WebAssemblyInstantiatedSource>;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
}

type BufferSource = ArrayBufferView | ArrayBuffer;
