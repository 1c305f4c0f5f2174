import { configPath, loadDaemonConfig } from '../../../kernel/config/load-config.js';
import { hostRuntimeLimits } from '../../../kernel/config/runtime-limits.js';
import { type OutputFormat, printStructured } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { annotatedToml, checkSection, configTables } from './config-view.js';

/**
 * `astrid config show [--format toml|json|yaml] [--section S]`: the daemon
 * configuration as this environment resolves it (file, environment,
 * defaults). TOML is annotated with each value's source; JSON and YAML are
 * the plain tables (`null` = unset).
 */
export async function configShow(
  session: CliSession,
  format: OutputFormat,
  sectionName: string | undefined,
): Promise<number> {
  const section = sectionName === undefined ? undefined : checkSection(sectionName);
  const resolved = await loadDaemonConfig(session.home, session.env, {});
  if (format === 'json' || format === 'yaml') {
    printStructured(session.io, configTables(resolved.config, section), format);
    return 0;
  }
  session.io.out(
    annotatedToml(resolved, {
      env: session.env,
      filePath: configPath(session.home),
      limits: hostRuntimeLimits(resolved.config),
      ...(section === undefined ? {} : { section }),
    }),
  );
  return 0;
}
