import { formatDiagnostic } from '../../../capsule/manifest/diagnostics.js';
import { heldCapabilityNames, manifestToJson } from '../../../capsule/manifest/manifest-views.js';
import { type PrincipalId, parsePrincipalId } from '../../../core/ids/principal-id.js';
import { type OutputFormat, printStructured, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { findInstalledCapsule, type InstalledCapsuleInfo } from './installed-capsule.js';

/** The structured form of `capsule show` (the reference's fields plus the directory). */
export function showView(c: InstalledCapsuleInfo): Record<string, unknown> {
  return {
    name: c.id,
    version: c.meta?.version ?? c.manifest.package.version,
    source: c.meta?.source ?? null,
    wasm_hash: c.meta?.wasm_hash ?? null,
    installed_at: c.meta?.installed_at || null,
    updated_at: c.meta?.updated_at || null,
    dir: c.dir,
    manifest: manifestToJson(c.manifest),
  };
}

/** The pretty lines of `capsule show`. Pure. */
export function showLines(c: InstalledCapsuleInfo): string[] {
  const m = c.manifest;
  const view = showView(c);
  const rows: [string, string][] = [
    ['description', m.package.description ?? ''],
    ['source', (view.source as string | null) ?? '(local install)'],
    ['wasm_hash', (view.wasm_hash as string | null) ?? '(no component)'],
    ['installed_at', (view.installed_at as string | null) ?? '?'],
    ['updated_at', (view.updated_at as string | null) ?? '?'],
    ['dir', c.dir],
    ['components', m.components.map((x) => x.file).join(', ')],
    ['env', m.env.map((e) => `${e.key} (${e.type})`).join(', ')],
    [
      'imports',
      m.imports
        .map(
          (i) =>
            `${i.namespace}/${i.interface} ${i.requirement.source}${i.optional ? ' (optional)' : ''}`,
        )
        .join(', '),
    ],
    ['exports', m.exports.map((e) => `${e.namespace}/${e.interface} ${e.version}`).join(', ')],
    ['capabilities', heldCapabilityNames(m.capabilities).join(', ')],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [
    `${c.id} ${view.version as string}`,
    ...rows.filter(([, v]) => v !== '').map(([k, v]) => `  ${`${k}:`.padEnd(width + 1)} ${v}`),
  ];
}

/** `astrid capsule show NAME [-a AGENT] [--format]`. */
export async function capsuleShow(
  session: CliSession,
  name: string,
  agent: string | undefined,
  format: OutputFormat,
): Promise<number> {
  const principal: PrincipalId =
    agent === undefined ? await session.activeAgent() : parsePrincipalId(agent);
  const capsule = await findInstalledCapsule(session.home, name, principal);
  if (format !== 'pretty') {
    printStructured(session.io, showView(capsule), format);
    return 0;
  }
  session.io.out(`${showLines(capsule).join('\n')}\n`);
  for (const w of capsule.warnings) say.warn(session.io, formatDiagnostic(w));
  if (capsule.meta === null)
    say.warn(
      session.io,
      `${capsule.dir} has no readable meta.json; reinstall the capsule to restore it`,
    );
  return 0;
}
