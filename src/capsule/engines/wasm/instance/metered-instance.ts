import { pathToFileURL } from 'node:url';
import { AstridError } from '../../../../core/errors.js';
import {
  FUEL_EXPORT,
  MEM_CAP_EXPORT,
  MEM_PEAK_EXPORT,
} from '../pipeline/instrument/instrument-module.js';

/** Host imports keyed by interface (`astrid:sys/host`); functions in jco's lowerCamelCase. */
export type HostImports = Record<string, Record<string, unknown>>;

type Instantiate = (
  getCoreModule: (name: string) => WebAssembly.Module,
  imports: HostImports,
  instantiateCore: (
    module: WebAssembly.Module,
    imports?: WebAssembly.Imports,
  ) => WebAssembly.Instance,
) => unknown;

interface Meters {
  readonly fuel: WebAssembly.Global;
  readonly cap: WebAssembly.Global;
  readonly peak: WebAssembly.Global;
}

/**
 * A component instance built from instrumented artifacts, with handles on
 * every core instance's fuel and memory globals. Instantiation is synchronous
 * (compiled modules in, `new WebAssembly.Instance` out), so it can run inside
 * a worker without an event-loop turn.
 */
export class MeteredInstance {
  readonly exports: Record<string, unknown>;
  private readonly meters: readonly Meters[];

  private constructor(exports: Record<string, unknown>, meters: readonly Meters[]) {
    this.exports = exports;
    this.meters = meters;
  }

  /** Imports the glue module (an ES module file) and instantiates the component. */
  static async create(
    gluePath: string,
    modules: ReadonlyMap<string, WebAssembly.Module>,
    imports: HostImports,
    options: { memoryCapPages?: number; initialPages?: ReadonlyMap<string, number> } = {},
  ): Promise<MeteredInstance> {
    const glue = (await import(pathToFileURL(gluePath).href)) as { instantiate?: Instantiate };
    if (typeof glue.instantiate !== 'function') {
      throw new AstridError('internal', `${gluePath} does not export instantiate()`);
    }
    return MeteredInstance.fromGlue(glue.instantiate, modules, imports, options);
  }

  /** Instantiates with an already-loaded glue `instantiate` function. */
  static fromGlue(
    instantiate: Instantiate,
    modules: ReadonlyMap<string, WebAssembly.Module>,
    imports: HostImports,
    options: { memoryCapPages?: number; initialPages?: ReadonlyMap<string, number> } = {},
  ): MeteredInstance {
    const cap = options.memoryCapPages;
    if (cap !== undefined && options.initialPages !== undefined) {
      for (const [file, pages] of options.initialPages) {
        if (pages > cap) {
          throw new AstridError(
            'quota-exceeded',
            `component memory starts at ${pages} pages (${pages * 64} KiB) in ${file}, above the ${cap}-page memory quota`,
          );
        }
      }
    }
    // The glue reads imports keyed without the version; offer both spellings.
    const keyed: HostImports = {};
    for (const [name, value] of Object.entries(imports)) {
      keyed[name] = value;
      keyed[name.replace(/@[^/]*$/, '')] = value;
    }
    const meters: Meters[] = [];
    const exports = instantiate(
      (name) => {
        const module = modules.get(name);
        if (module === undefined) throw new AstridError('internal', `missing core module ${name}`);
        return module;
      },
      keyed,
      (module, moduleImports) => {
        const instance = new WebAssembly.Instance(module, moduleImports);
        const fuel = instance.exports[FUEL_EXPORT];
        const capGlobal = instance.exports[MEM_CAP_EXPORT];
        const peak = instance.exports[MEM_PEAK_EXPORT];
        if (
          !(fuel instanceof WebAssembly.Global) ||
          !(capGlobal instanceof WebAssembly.Global) ||
          !(peak instanceof WebAssembly.Global)
        ) {
          throw new AstridError(
            'integrity',
            'a core module is not instrumented; refusing to run it',
          );
        }
        if (cap !== undefined) capGlobal.value = cap;
        meters.push({ fuel, cap: capGlobal, peak });
        return instance;
      },
    );
    if (exports instanceof Promise) {
      throw new AstridError('internal', 'component instantiation did not complete synchronously');
    }
    return new MeteredInstance(exports as Record<string, unknown>, meters);
  }

  /** Gives every core module `budget` fuel for the next call. */
  setFuel(budget: bigint): void {
    for (const m of this.meters) m.fuel.value = budget;
  }

  /** Fuel consumed since `setFuel(budget)`: the sum over core modules (exhausted modules count fully). */
  fuelUsed(budget: bigint): bigint {
    let used = 0n;
    for (const m of this.meters) {
      const left = m.fuel.value as bigint;
      used += left < 0n ? budget : budget - left;
    }
    return used;
  }

  /** Whether any core module ran out of fuel (its counter went negative). */
  fuelExhausted(): boolean {
    return this.meters.some((m) => (m.fuel.value as bigint) < 0n);
  }

  setMemoryCap(pages: number): void {
    for (const m of this.meters) m.cap.value = pages;
  }

  /** Largest memory size reached, in pages, over every core module. */
  peakPages(): number {
    return this.meters.reduce((max, m) => Math.max(max, m.peak.value as number), 0);
  }
}
