import { stringify } from 'smol-toml';
import { AstridError } from '../../../core/errors.js';
import {
  CONFIG_KEYS,
  type ConfigSource,
  type DaemonConfig,
  type ResolvedConfig,
} from '../../../kernel/config/daemon-config.js';
import type { RuntimeLimits } from '../../../kernel/config/runtime-limits.js';

type Spec = (typeof CONFIG_KEYS)[number];
export type Section = Spec['section'];

/** The config tables, in the order the daemon documents them. */
export const SECTIONS: readonly Section[] = [...new Set(CONFIG_KEYS.map((k) => k.section))];

/** Refuses a `--section` that does not exist, naming the ones that do. Pure. */
export function checkSection(name: string): Section {
  if ((SECTIONS as readonly string[]).includes(name)) return name as Section;
  throw new AstridError(
    'invalid-input',
    `unknown config section ${JSON.stringify(name)} (sections: ${SECTIONS.join(', ')})`,
  );
}

function keyValue(config: DaemonConfig, spec: Spec): unknown {
  return (config[spec.section] as Record<string, unknown>)[spec.field];
}

/** The configuration with its TOML key names (`null` = unset), optionally one section. Pure. */
export function configTables(
  config: DaemonConfig,
  section?: Section,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const spec of CONFIG_KEYS) {
    if (section !== undefined && spec.section !== section) continue;
    out[spec.section] = { ...(out[spec.section] ?? {}), [spec.key]: keyValue(config, spec) };
  }
  return out;
}

/** Where a key's value came from, as `config show` annotates it. Pure. */
export function sourceLabel(
  spec: Spec,
  source: ConfigSource,
  env: NodeJS.ProcessEnv,
  filePath: string,
): string {
  switch (source) {
    case 'default':
      return 'defaults';
    case 'file':
      return `file (${filePath})`;
    case 'env': {
      const name = spec.env.find((e) => env[e] !== undefined && env[e] !== '');
      return `environment variable ${name ?? spec.env.join('|')}`;
    }
    case 'flag':
      return 'flag';
  }
}

function unsetNote(spec: Spec, limits: RuntimeLimits): string {
  if (spec.section === 'capsule') {
    const derived = limits[spec.field as keyof RuntimeLimits];
    return `unset: derived from this host (${derived})`;
  }
  if (spec.key === 'idle_timeout_secs')
    return 'unset: ephemeral daemons stop after 30 s without clients, persistent daemons never';
  return 'unset';
}

export interface AnnotateOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly filePath: string;
  readonly limits: RuntimeLimits;
  readonly section?: Section;
}

/**
 * The configuration as TOML, each key annotated with where its value came
 * from (`# [defaults]`, `# [file (…)]`, `# [environment variable X]`);
 * unset keys are comments saying what applies instead. Valid TOML. Pure.
 */
export function annotatedToml(resolved: ResolvedConfig, options: AnnotateOptions): string {
  const lines = [
    '# The astrid-daemon configuration as loaded (flags given to astrid-daemon override it).',
  ];
  for (const section of SECTIONS) {
    if (options.section !== undefined && section !== options.section) continue;
    lines.push('', `[${section}]`);
    for (const spec of CONFIG_KEYS.filter((k) => k.section === section)) {
      const dotted = `${spec.section}.${spec.key}`;
      const label = sourceLabel(
        spec,
        resolved.sources[dotted] ?? 'default',
        options.env,
        options.filePath,
      );
      const value = keyValue(resolved.config, spec);
      if (value === null)
        lines.push(`# ${spec.key}: ${unsetNote(spec, options.limits)}  # [${label}]`);
      else lines.push(`${stringify({ [spec.key]: value }).trim()}  # [${label}]`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The file `config edit` creates: every key commented out with what it
 * means, its default and the environment variables that also set it (tables
 * commented too, so appending a table never duplicates one). Pure.
 */
export function configTemplate(path: string): string {
  const lines = [
    `# Astrid daemon configuration: ${path}`,
    '# Every key is optional. Precedence: astrid-daemon flags > this file > environment > defaults.',
    '# Uncomment a table and the keys you want to set; `astrid config show` prints what is in effect.',
  ];
  const defaults: Record<string, string> = {
    'logging.level': '"info"',
    'logging.format': '"compact"',
    'daemon.watch': 'false',
    'network.airlock_exceptions': '[]',
  };
  for (const section of SECTIONS) {
    lines.push('', `# [${section}]`);
    for (const spec of CONFIG_KEYS.filter((k) => k.section === section)) {
      const env = spec.env.length > 0 ? `; environment: ${spec.env.join(', ')}` : '';
      lines.push(`# ${spec.describe}${env}`);
      const dflt = defaults[`${spec.section}.${spec.key}`];
      lines.push(dflt === undefined ? `# ${spec.key} = <unset>` : `# ${spec.key} = ${dflt}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Every environment variable the daemon's configuration honours, with the key it sets. Pure. */
export function configEnvVars(): { readonly name: string; readonly key: string }[] {
  return CONFIG_KEYS.flatMap((spec) =>
    spec.env.map((name) => ({ name, key: `${spec.section}.${spec.key}` })),
  );
}
