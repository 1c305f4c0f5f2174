import { formatDiagnostic } from '../../../capsule/manifest/diagnostics.js';
import { checkManifestDir } from '../../../capsule/manifest/load-manifest.js';
import { manifestToJson } from '../../../capsule/manifest/manifest-views.js';
import { EXIT } from '../../exit-codes.js';
import { type CliIo, type OutputFormat, printJson, say } from '../../output.js';

/**
 * `astrid capsule check <dir>`: validates a capsule's Capsule.toml without
 * installing anything. Exit 0 when valid (warnings allowed), 1 otherwise.
 */
export async function capsuleCheck(io: CliIo, dir: string, format: OutputFormat): Promise<number> {
  const result = await checkManifestDir(dir);
  const ok = result.manifest !== null;
  if (format === 'json') {
    printJson(io, {
      ok,
      errors: result.errors,
      warnings: result.warnings,
      manifest: result.manifest === null ? null : manifestToJson(result.manifest),
    });
    return ok ? EXIT.ok : EXIT.failure;
  }
  if (result.manifest !== null) {
    say.ok(io, `${result.manifest.package.name} ${result.manifest.package.version}`);
  }
  for (const w of result.warnings) say.warn(io, formatDiagnostic(w));
  for (const e of result.errors) say.error(io, formatDiagnostic(e));
  return ok ? EXIT.ok : EXIT.failure;
}
