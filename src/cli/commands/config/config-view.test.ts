import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, resolveConfig } from '../../../kernel/config/daemon-config.js';
import {
  annotatedToml,
  checkSection,
  configEnvVars,
  configTables,
  configTemplate,
  SECTIONS,
} from './config-view.js';

const filePath = '/h/etc/config.toml';
const limits = { hostBlockingConcurrency: 6, hostIoConcurrency: 512, instancePoolSize: 16 };

describe('config view', () => {
  const env = { ASTRID_LOG_LEVEL: 'debug' };
  const resolved = resolveConfig({
    file: { capsule: { instance_pool_size: 4 } },
    filePath,
    env,
    flags: {},
  });

  it('annotates every key with its source and stays valid TOML', () => {
    const text = annotatedToml(resolved, { env, filePath, limits });
    expect(text).toContain('level = "debug"  # [environment variable ASTRID_LOG_LEVEL]');
    expect(text).toContain('format = "compact"  # [defaults]');
    expect(text).toContain('instance_pool_size = 4  # [file (/h/etc/config.toml)]');
    expect(text).toContain(
      '# host_io_concurrency: unset: derived from this host (512)  # [defaults]',
    );
    expect(text).toContain('airlock_exceptions = []  # [defaults]');
    expect(parse(text)).toEqual({
      logging: { level: 'debug', format: 'compact' },
      capsule: { instance_pool_size: 4 },
      daemon: { watch: false },
      network: { airlock_exceptions: [] },
    });
  });

  it('one section only, and JSON tables with nulls for unset keys', () => {
    const text = annotatedToml(resolved, { env, filePath, limits, section: 'daemon' });
    expect(text).not.toContain('[logging]');
    expect(text).toContain('[daemon]');
    expect(configTables(resolved.config, 'capsule')).toEqual({
      capsule: {
        host_blocking_concurrency: null,
        host_io_concurrency: null,
        instance_pool_size: 4,
      },
    });
    expect(Object.keys(configTables(resolved.config))).toEqual([...SECTIONS]);
  });

  it('refuses unknown sections', () => {
    expect(checkSection('logging')).toBe('logging');
    expect(() => checkSection('model')).toThrow(
      'unknown config section "model" (sections: logging, capsule, daemon, network)',
    );
  });

  it('the template parses to an empty config and mentions every key', () => {
    const t = configTemplate(filePath);
    expect(parse(t)).toEqual({});
    for (const spec of CONFIG_KEYS) expect(t).toContain(`# ${spec.key} = `);
    expect(
      resolveConfig({ file: parse(t), filePath, env: {}, flags: {} }).sources['logging.level'],
    ).toBe('default');
  });

  it('lists every environment variable with the key it sets', () => {
    expect(configEnvVars()).toContainEqual({ name: 'ASTRID_LOG_LEVEL', key: 'logging.level' });
    expect(configEnvVars().some((v) => v.key === 'network.airlock_exceptions')).toBe(false);
  });
});
