import { describe, expect, it } from 'vitest';
import { resolveConfig } from './daemon-config.js';

const base = { file: null, filePath: '/h/etc/config.toml', env: {}, flags: {} };

describe('resolveConfig', () => {
  it('uses defaults when nothing is set', () => {
    const r = resolveConfig(base);
    expect(r.config.logging).toEqual({ level: 'info', format: 'compact' });
    expect(r.config.capsule.instancePoolSize).toBeNull();
    expect(r.sources['capsule.instance_pool_size']).toBe('default');
  });

  it('layers flag > file > env > default for every key', () => {
    const env = {
      ASTRID_CAPSULE_INSTANCE_POOL_SIZE: '4',
      ASTRID_LOG_LEVEL: 'debug',
      ASTRID_IDLE_TIMEOUT_SECS: '9',
    };
    const file = { capsule: { instance_pool_size: 6 }, logging: { format: 'json' } };
    let r = resolveConfig({ ...base, env });
    expect(r.config.capsule.instancePoolSize).toBe(4);
    expect(r.config.logging.level).toBe('debug');
    expect(r.config.daemon.idleTimeoutSecs).toBe(9);
    expect(r.sources['daemon.idle_timeout_secs']).toBe('env');
    r = resolveConfig({ ...base, env, file });
    expect(r.config.capsule.instancePoolSize).toBe(6);
    expect(r.sources['capsule.instance_pool_size']).toBe('file');
    expect(r.config.logging).toEqual({ level: 'debug', format: 'json' });
    r = resolveConfig({ ...base, env, file, flags: { 'capsule.instance_pool_size': 2 } });
    expect(r.config.capsule.instancePoolSize).toBe(2);
    expect(r.sources['capsule.instance_pool_size']).toBe('flag');
  });

  it('rejects zero, junk and unknown keys, naming where they came from', () => {
    expect(() => resolveConfig({ ...base, flags: { 'capsule.host_io_concurrency': 0 } })).toThrow(
      /flag for capsule.host_io_concurrency: capsule.host_io_concurrency must be a whole number ≥ 1 \(got 0\)/,
    );
    expect(() =>
      resolveConfig({ ...base, env: { ASTRID_CAPSULE_HOST_BLOCKING_CONCURRENCY: 'many' } }),
    ).toThrow(/environment variable ASTRID_CAPSULE_HOST_BLOCKING_CONCURRENCY/);
    expect(() => resolveConfig({ ...base, file: { capsule: { instance_pool_size: 0 } } })).toThrow(
      /config.toml: capsule.instance_pool_size/,
    );
    expect(() => resolveConfig({ ...base, file: { model: {} } })).toThrow(
      /unknown table \[model\]/,
    );
    expect(() => resolveConfig({ ...base, file: { logging: { colour: true } } })).toThrow(
      /unknown key logging.colour/,
    );
    expect(() => resolveConfig({ ...base, env: { ASTRID_LOG_LEVEL: 'loud' } })).toThrow(
      /must be one of trace, debug, info, warn, error/,
    );
  });

  it('reads booleans from env, file and flags', () => {
    expect(() => resolveConfig({ ...base, env: { ASTRID_DAEMON_WATCH: 'maybe' } })).toThrow(
      /daemon.watch must be true or false/,
    );
    expect(
      resolveConfig({ ...base, env: { ASTRID_DAEMON_WATCH: 'TRUE' } }).config.daemon.watch,
    ).toBe(true);
    const r = resolveConfig({
      ...base,
      file: { daemon: { watch: true } },
      flags: { 'daemon.watch': false },
    });
    expect(r.config.daemon.watch).toBe(false);
    expect(r.sources['daemon.watch']).toBe('flag');
  });
});

describe('resolveRuntimeLimits', () => {
  it('derives from the host unless configured', async () => {
    const { resolveRuntimeLimits, fdSoftLimit } = await import('./runtime-limits.js');
    const config = resolveConfig(base).config;
    expect(resolveRuntimeLimits(config, 2, 1024)).toEqual({
      hostBlockingConcurrency: 2,
      hostIoConcurrency: 128,
      instancePoolSize: 8,
    });
    expect(resolveRuntimeLimits(config, 64, 100)).toEqual({
      hostBlockingConcurrency: 62,
      hostIoConcurrency: 50,
      instancePoolSize: 64,
    });
    const set = resolveConfig({ ...base, flags: { 'capsule.instance_pool_size': 3 } }).config;
    expect(resolveRuntimeLimits(set, 2, 1024).instancePoolSize).toBe(3);
    expect(fdSoftLimit()).toBeGreaterThan(0);
  });
});
