import type { ComponentStructure } from '../binary/component-binary.js';

/** Guest exports that toolchains emit as shared no-op stubs when unimplemented. */
export const STUBBABLE_EXPORTS = ['run', 'astrid-install', 'astrid-upgrade'] as const;
export const GUEST_EXPORTS = ['astrid-hook-trigger', ...STUBBABLE_EXPORTS] as const;
export type GuestExport = (typeof GUEST_EXPORTS)[number];

/**
 * Whether the component really implements `name`. Toolchains export `run`,
 * `astrid-install` and `astrid-upgrade` even when the author wrote none of
 * them, all aliasing one shared no-op function; so within one export section
 * a stubbable name counts only if no other stubbable name there has the same
 * function index. The first section that mentions the name decides.
 */
export function exportsContain(structure: ComponentStructure, name: GuestExport): boolean {
  const stubbable = (STUBBABLE_EXPORTS as readonly string[]).includes(name);
  for (const section of structure.exportSections) {
    const index = section.functions.get(name);
    if (index === undefined) continue;
    if (!stubbable) return true;
    const shared = STUBBABLE_EXPORTS.some(
      (other) => other !== name && section.functions.get(other) === index,
    );
    return !shared;
  }
  return false;
}

/** Which guest exports are real. */
export function realGuestExports(structure: ComponentStructure): Record<GuestExport, boolean> {
  return {
    'astrid-hook-trigger': exportsContain(structure, 'astrid-hook-trigger'),
    run: exportsContain(structure, 'run'),
    'astrid-install': exportsContain(structure, 'astrid-install'),
    'astrid-upgrade': exportsContain(structure, 'astrid-upgrade'),
  };
}
