import { AstridError } from '../../../../../core/errors.js';
import { WasmDecodeError } from '../binary/byte-reader.js';
import { type ComponentImport, isComponent, readComponent } from '../binary/component-binary.js';
import { isCoreModule } from '../binary/core-module.js';
import { type GuestExport, realGuestExports } from './guest-exports.js';
import { assertLinkable } from './import-policy.js';

export interface ComponentInfo {
  readonly imports: readonly ComponentImport[];
  /** Host interfaces imported (instance imports). */
  readonly interfaces: readonly string[];
  readonly guestExports: Readonly<Record<GuestExport, boolean>>;
  /** A real `run` export makes the capsule a run loop. */
  readonly isRunLoop: boolean;
  readonly coreModuleCount: number;
}

/**
 * Reads a component's imports and exports, refusing anything that is not a
 * Component Model component importing only the host's `astrid:*@1.0.0`
 * interfaces.
 */
export function inspectComponent(bytes: Uint8Array): ComponentInfo {
  if (isCoreModule(bytes)) {
    throw new AstridError(
      'invalid-input',
      'this is a core WebAssembly module, not a component; capsules must be Component Model components (build with a component toolchain, e.g. astrid build)',
    );
  }
  if (!isComponent(bytes)) {
    throw new AstridError(
      'invalid-input',
      'not a WebAssembly component (bad magic or version header)',
    );
  }
  let structure: ReturnType<typeof readComponent>;
  try {
    structure = readComponent(bytes);
  } catch (e) {
    if (e instanceof WasmDecodeError) {
      throw new AstridError('invalid-input', `malformed WebAssembly component: ${e.message}`, {
        cause: e,
      });
    }
    throw e;
  }
  assertLinkable(structure.imports);
  const guestExports = realGuestExports(structure);
  return {
    imports: structure.imports,
    interfaces: structure.imports.filter((i) => i.kind === 'instance').map((i) => i.name),
    guestExports,
    isRunLoop: guestExports.run,
    coreModuleCount: structure.coreModuleCount,
  };
}

/**
 * The stub-aware export test of the reference, usable on any bytes: a parse
 * error answers "present" (the safe direction — it makes a capsule a run loop,
 * and a corrupt binary fails to compile anyway).
 */
export function componentExportsContain(bytes: Uint8Array, name: GuestExport): boolean {
  try {
    return realGuestExports(readComponent(bytes))[name];
  } catch {
    return true;
  }
}
