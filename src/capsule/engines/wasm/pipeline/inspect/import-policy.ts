import { AstridError } from '../../../../../core/errors.js';
import type { ComponentImport } from '../binary/component-binary.js';

/**
 * The host interfaces a capsule may import: exactly the `astrid:*@1.0.0`
 * interfaces of the kernel world (wit/kernel.wit). Nothing else is linked —
 * in particular no `wasi:*`.
 */
export const HOST_INTERFACES: readonly string[] = [
  'astrid:io/error@1.0.0',
  'astrid:io/poll@1.0.0',
  'astrid:io/streams@1.0.0',
  'astrid:fs/host@1.0.0',
  'astrid:ipc/host@1.0.0',
  'astrid:kv/host@1.0.0',
  'astrid:net/host@1.0.0',
  'astrid:http/host@1.0.0',
  'astrid:sys/host@1.0.0',
  'astrid:process/host@1.0.0',
  'astrid:uplink/host@1.0.0',
  'astrid:elicit/host@1.0.0',
  'astrid:approval/host@1.0.0',
  'astrid:identity/host@1.0.0',
  'astrid:guest/lifecycle@1.0.0',
];

const ALLOWED = new Set(HOST_INTERFACES);

/**
 * Imports the host does not provide (empty when the component can link).
 * Type imports that only name an existing type (`use` in a world) need
 * nothing from the host and pass; every other import must be a host interface.
 */
export function unsupportedImports(imports: readonly ComponentImport[]): string[] {
  return imports
    .filter((i) => !(i.kind === 'type' || (i.kind === 'instance' && ALLOWED.has(i.name))))
    .map((i) => (i.kind === 'instance' ? i.name : `${i.name} (${i.kind})`));
}

/** Refuses, in one error listing them all, a component importing anything outside the host world. */
export function assertLinkable(imports: readonly ComponentImport[]): void {
  const bad = unsupportedImports(imports);
  if (bad.length > 0) {
    throw new AstridError(
      'invalid-input',
      `component imports interfaces this host does not provide: ${bad.join(', ')}. Capsules may import only the astrid:*@1.0.0 host interfaces (no wasi:*); rebuild against the astrid WIT with WASI features disabled.`,
      { details: { unsupported: bad } },
    );
  }
}
