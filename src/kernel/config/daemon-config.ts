import { parseAirlockException } from '../../capsule/engines/wasm/host/network/airlock-exceptions.js';
import { AstridError } from '../../core/errors.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['compact', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** The daemon's configuration (`etc/config.toml`, env, flags). */
export interface DaemonConfig {
  readonly logging: { readonly level: LogLevel; readonly format: LogFormat };
  /** Unset (null) = derived from the host. */
  readonly capsule: {
    readonly hostBlockingConcurrency: number | null;
    readonly hostIoConcurrency: number | null;
    readonly instancePoolSize: number | null;
  };
  /** Unset (null) = ephemeral daemons 30 s, persistent daemons never. */
  readonly daemon: { readonly idleTimeoutSecs: number | null; readonly watch: boolean };
  /** Local or private addresses capsules may dial despite the SSRF airlock (`ip:port`, `cidr:*`). */
  readonly network: { readonly airlockExceptions: readonly string[] };
}

export type ConfigSource = 'flag' | 'file' | 'env' | 'default';

interface KeySpec {
  readonly section: 'logging' | 'capsule' | 'daemon' | 'network';
  readonly key: string;
  readonly field: string;
  readonly kind: 'level' | 'format' | 'positive-int' | 'bool' | 'airlock-list';
  readonly env: readonly string[];
  readonly describe: string;
}

/** Every key: its TOML location, the environment variables that set it, and what it means. */
export const CONFIG_KEYS: readonly KeySpec[] = [
  {
    section: 'logging',
    key: 'level',
    field: 'level',
    kind: 'level',
    env: ['ASTRID_LOGGING_LEVEL', 'ASTRID_LOG_LEVEL'],
    describe: `log level (${LOG_LEVELS.join('|')})`,
  },
  {
    section: 'logging',
    key: 'format',
    field: 'format',
    kind: 'format',
    env: ['ASTRID_LOGGING_FORMAT', 'ASTRID_LOG_FORMAT'],
    describe: `log file format (${LOG_FORMATS.join('|')})`,
  },
  {
    section: 'capsule',
    key: 'host_blocking_concurrency',
    field: 'hostBlockingConcurrency',
    kind: 'positive-int',
    env: ['ASTRID_CAPSULE_HOST_BLOCKING_CONCURRENCY'],
    describe: 'concurrent blocking host operations (file system) across capsules',
  },
  {
    section: 'capsule',
    key: 'host_io_concurrency',
    field: 'hostIoConcurrency',
    kind: 'positive-int',
    env: ['ASTRID_CAPSULE_HOST_IO_CONCURRENCY'],
    describe: 'concurrent network host operations across capsules',
  },
  {
    section: 'capsule',
    key: 'instance_pool_size',
    field: 'instancePoolSize',
    kind: 'positive-int',
    env: ['ASTRID_CAPSULE_INSTANCE_POOL_SIZE'],
    describe: 'maximum warm instances per pooled capsule',
  },
  {
    section: 'daemon',
    key: 'idle_timeout_secs',
    field: 'idleTimeoutSecs',
    kind: 'positive-int',
    env: ['ASTRID_DAEMON_IDLE_TIMEOUT_SECS', 'ASTRID_IDLE_TIMEOUT_SECS'],
    describe: 'shut down after this long with no clients (ephemeral daemons default to 30)',
  },
  {
    section: 'daemon',
    key: 'watch',
    field: 'watch',
    kind: 'bool',
    env: ['ASTRID_DAEMON_WATCH'],
    describe: 'reload a capsule when its installed directory changes',
  },
  {
    section: 'network',
    key: 'airlock_exceptions',
    field: 'airlockExceptions',
    kind: 'airlock-list',
    // Deliberately file-only: no environment variable can open the airlock.
    env: [],
    describe:
      'local/private addresses capsules may reach despite the SSRF airlock, e.g. ["127.0.0.1:11434"] (the capsule still needs a net or net_connect entry)',
  },
];

export const DEFAULT_CONFIG: DaemonConfig = {
  logging: { level: 'info', format: 'compact' },
  capsule: { hostBlockingConcurrency: null, hostIoConcurrency: null, instancePoolSize: null },
  daemon: { idleTimeoutSecs: null, watch: false },
  network: { airlockExceptions: [] },
};

type Layer = Record<string, unknown>;

export interface ConfigLayers {
  /** The parsed `etc/config.toml` (null when absent). */
  readonly file: Record<string, unknown> | null;
  readonly filePath: string;
  readonly env: NodeJS.ProcessEnv;
  /** Flag values by dotted key (`capsule.instance_pool_size`). */
  readonly flags: Readonly<Record<string, unknown>>;
}

export interface ResolvedConfig {
  readonly config: DaemonConfig;
  /** Where each dotted key's value came from. */
  readonly sources: Readonly<Record<string, ConfigSource>>;
}

function coerce(spec: KeySpec, raw: unknown, where: string): unknown {
  const name = `${spec.section}.${spec.key}`;
  if (spec.kind === 'level' || spec.kind === 'format') {
    const allowed: readonly string[] = spec.kind === 'level' ? LOG_LEVELS : LOG_FORMATS;
    if (typeof raw !== 'string' || !allowed.includes(raw.toLowerCase())) {
      throw new AstridError(
        'config',
        `${where}: ${name} must be one of ${allowed.join(', ')} (got ${JSON.stringify(raw)})`,
      );
    }
    return raw.toLowerCase();
  }
  if (spec.kind === 'airlock-list') {
    if (!Array.isArray(raw) || raw.some((e) => typeof e !== 'string')) {
      throw new AstridError(
        'config',
        `${where}: ${name} must be a list of strings such as ["127.0.0.1:11434"]`,
      );
    }
    for (const entry of raw as string[]) {
      try {
        parseAirlockException(entry);
      } catch (e) {
        throw new AstridError('config', `${where}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return [...(raw as string[])];
  }
  if (spec.kind === 'bool') {
    if (typeof raw === 'boolean') return raw;
    if (typeof raw === 'string' && /^(true|false|1|0)$/i.test(raw.trim()))
      return /^(true|1)$/i.test(raw.trim());
    throw new AstridError(
      'config',
      `${where}: ${name} must be true or false (got ${JSON.stringify(raw)})`,
    );
  }
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'bigint') n = Number(raw);
  else if (typeof raw === 'string' && /^\s*\d+\s*$/.test(raw)) n = Number(raw.trim());
  else
    throw new AstridError(
      'config',
      `${where}: ${name} must be a whole number ≥ 1 (got ${JSON.stringify(typeof raw === 'bigint' ? Number(raw) : raw)})`,
    );
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new AstridError(
      'config',
      `${where}: ${name} must be a whole number ≥ 1 (got ${n}); remove the setting to use the host-derived default`,
    );
  }
  return n;
}

/** Rejects tables and keys this build does not know, naming them. */
function checkFileShape(file: Layer, path: string): void {
  const sections = new Set(CONFIG_KEYS.map((k) => k.section));
  for (const [section, value] of Object.entries(file)) {
    if (!sections.has(section as KeySpec['section'])) {
      throw new AstridError(
        'config',
        `${path}: unknown table [${section}] (known: ${[...sections].map((s) => `[${s}]`).join(', ')})`,
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new AstridError('config', `${path}: ${section} must be a table`);
    }
    const keys = CONFIG_KEYS.filter((k) => k.section === section).map((k) => k.key);
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) {
        throw new AstridError(
          'config',
          `${path}: unknown key ${section}.${key} (known in [${section}]: ${keys.join(', ')})`,
        );
      }
    }
  }
}

/**
 * Layers the daemon configuration: flag > config file > environment >
 * default, for every key. Every value is validated wherever it comes from;
 * an explicit 0 for a sizing key is an error (unset means host-derived). Pure.
 */
export function resolveConfig(layers: ConfigLayers): ResolvedConfig {
  if (layers.file !== null) checkFileShape(layers.file, layers.filePath);
  const out: Record<string, Record<string, unknown>> = {
    logging: { ...DEFAULT_CONFIG.logging },
    capsule: { ...DEFAULT_CONFIG.capsule },
    daemon: { ...DEFAULT_CONFIG.daemon },
    network: { ...DEFAULT_CONFIG.network },
  };
  const sources: Record<string, ConfigSource> = {};
  for (const spec of CONFIG_KEYS) {
    const dotted = `${spec.section}.${spec.key}`;
    const section = out[spec.section] as Record<string, unknown>;
    sources[dotted] = 'default';
    const envName = spec.env.find((e) => layers.env[e] !== undefined && layers.env[e] !== '');
    if (envName !== undefined) {
      section[spec.field] = coerce(spec, layers.env[envName], `environment variable ${envName}`);
      sources[dotted] = 'env';
    }
    const fileValue = (layers.file?.[spec.section] as Layer | undefined)?.[spec.key];
    if (fileValue !== undefined) {
      section[spec.field] = coerce(spec, fileValue, layers.filePath);
      sources[dotted] = 'file';
    }
    const flagValue = layers.flags[dotted];
    if (flagValue !== undefined) {
      section[spec.field] = coerce(spec, flagValue, `flag for ${dotted}`);
      sources[dotted] = 'flag';
    }
  }
  return { config: out as unknown as DaemonConfig, sources };
}
