/** The guest exports a capsule definition produces. */
export interface GuestExports {
  readonly hookTrigger: boolean;
  readonly run: boolean;
  readonly install: boolean;
  readonly upgrade: boolean;
}

const IMPORT = /^astrid:([a-z][a-z0-9-]*)\/([a-z][a-z0-9-]*)@1\.0\.0$/;

/** Whether a module specifier names an astrid host interface (`astrid:kv/host@1.0.0`). */
export function isHostInterface(specifier: string): boolean {
  return IMPORT.test(specifier);
}

/**
 * The WIT world of one capsule: exactly the host interfaces its bundle
 * imports and exactly the exports its definition has — so the component
 * carries no stub export and asks for nothing it does not use. Pure.
 */
export function capsuleWorld(imports: readonly string[], exports: GuestExports): string {
  const lines = ['package astrid-capsule:build;', '', 'world capsule {'];
  for (const spec of [...new Set(imports)].sort()) {
    if (!isHostInterface(spec)) throw new Error(`not an astrid host interface: ${spec}`);
    lines.push(`  import ${spec};`);
  }
  if (exports.hookTrigger) {
    lines.push('  use astrid:guest/lifecycle@1.0.0.{capsule-result};');
    lines.push(
      '  export astrid-hook-trigger: func(action: string, payload: list<u8>) -> capsule-result;',
    );
  }
  if (exports.run) lines.push('  export run: func();');
  if (exports.install) lines.push('  export astrid-install: func();');
  if (exports.upgrade) lines.push('  export astrid-upgrade: func();');
  lines.push('}', '');
  return lines.join('\n');
}

/**
 * The module ComponentizeJS builds: it imports the capsule's default export
 * (its `defineCapsule` definition) and exports the guest functions the
 * definition needs, nothing else. Pure.
 */
export function entryModule(userEntry: string, capsule: string, exports: GuestExports): string {
  const lines = [
    `import definition from ${JSON.stringify(userEntry)};`,
    `import { guarded, hookTrigger } from '@astrid/sdk/exports';`,
  ];
  if (exports.hookTrigger)
    lines.push(
      `export const astridHookTrigger = hookTrigger(${JSON.stringify(capsule)}, definition);`,
    );
  if (exports.run) lines.push(`export const run = guarded('run', () => definition.run());`);
  if (exports.install)
    lines.push(`export const astridInstall = guarded('install', () => definition.install());`);
  if (exports.upgrade)
    lines.push(`export const astridUpgrade = guarded('upgrade', () => definition.upgrade());`);
  return `${lines.join('\n')}\n`;
}
