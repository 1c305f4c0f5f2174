import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AstridError } from '../../core/errors.js';
import { AstridHome } from '../../storage/home/astrid-home.js';
import { resolveConfig } from './daemon-config.js';
import { loadDaemonConfig } from './load-config.js';

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

describe('[network] airlock_exceptions', () => {
  const withFile = (airlock_exceptions: unknown) =>
    resolveConfig({ ...base, file: { network: { airlock_exceptions } } });

  /** The config error a resolve throws (fails the test when it does not throw one). */
  function configError(fn: () => unknown): AstridError {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(AstridError);
      expect((e as AstridError).code).toBe('config');
      return e as AstridError;
    }
    throw new Error('expected a config error');
  }

  it('defaults to no exceptions', () => {
    const r = resolveConfig(base);
    expect(r.config.network.airlockExceptions).toEqual([]);
    expect(r.sources['network.airlock_exceptions']).toBe('default');
  });

  it('accepts addresses, bracketed IPv6 and CIDR blocks with a port or *', () => {
    const list = [
      '127.0.0.1:11434',
      '[::1]:*',
      '10.0.0.0/8:443',
      '[fd00::]/8:0',
      '192.168.1.2:65535',
    ];
    const r = withFile(list);
    expect(r.config.network.airlockExceptions).toEqual(list);
    expect(r.sources['network.airlock_exceptions']).toBe('file');
    expect(withFile([]).config.network.airlockExceptions).toEqual([]);
  });

  it('keeps its own copy of the list', () => {
    const list = ['127.0.0.1:11434'];
    const r = withFile(list);
    list.push('10.0.0.1:1');
    expect(r.config.network.airlockExceptions).toEqual(['127.0.0.1:11434']);
  });

  it('refuses host names, saying that only addresses are accepted', () => {
    for (const entry of ['localhost:11434', 'ollama.internal:*', '[localhost]:80']) {
      const e = configError(() => withFile([entry]));
      expect(e.message).toBe(
        `/h/etc/config.toml: network.airlock_exceptions: ${JSON.stringify(entry)} does not name an IP address (host names are not accepted); write an IP address or CIDR block and a port, e.g. "127.0.0.1:11434", "[::1]:8080" or "10.0.0.0/8:*"`,
      );
    }
  });

  it('refuses malformed entries, naming the entry and what is wrong with it', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'has no port'],
      [':80', 'has no port'],
      ['', 'has no port'],
      ['127.0.0.1:', 'has an invalid port ""'],
      ['127.0.0.1:99999', 'has an invalid port "99999"'],
      ['127.0.0.1:65536', 'has an invalid port "65536"'],
      ['127.0.0.1:-1', 'has an invalid port "-1"'],
      ['127.0.0.1:http', 'has an invalid port "http"'],
      ['::1:80', 'is an IPv6 address without brackets'],
      ['[::1:80', 'has an unclosed bracket'],
      ['10.0.0.0/33:1', 'has an invalid prefix length /33'],
      ['10.0.0.0/:1', 'has an invalid prefix length /'],
      ['[::]/129:1', 'has an invalid prefix length /129'],
      ['256.0.0.1:80', 'does not name an IP address'],
      ['127.0.0.01:80', 'does not name an IP address'],
    ];
    for (const [entry, why] of cases) {
      const e = configError(() => withFile(['127.0.0.1:11434', entry]));
      expect(e.message, entry).toContain(
        `/h/etc/config.toml: network.airlock_exceptions: ${JSON.stringify(entry)} ${why}`,
      );
    }
  });

  it('refuses anything but a list of strings', () => {
    for (const value of [
      '127.0.0.1:11434',
      11434,
      { a: '127.0.0.1:1' },
      ['127.0.0.1:1', 2],
      [null],
    ]) {
      const e = configError(() => withFile(value));
      expect(e.message).toBe(
        '/h/etc/config.toml: network.airlock_exceptions must be a list of strings such as ["127.0.0.1:11434"]',
      );
    }
  });

  it('cannot be set from the environment', () => {
    const env = {
      ASTRID_NETWORK_AIRLOCK_EXCEPTIONS: '127.0.0.1:*',
      ASTRID_AIRLOCK_EXCEPTIONS: '127.0.0.1:*',
    };
    const r = resolveConfig({ ...base, env });
    expect(r.config.network.airlockExceptions).toEqual([]);
    expect(r.sources['network.airlock_exceptions']).toBe('default');
  });

  it('validates a flag value the same way, naming the flag', () => {
    const r = resolveConfig({
      ...base,
      file: { network: { airlock_exceptions: ['10.0.0.1:1'] } },
      flags: { 'network.airlock_exceptions': ['127.0.0.1:8080'] },
    });
    expect(r.config.network.airlockExceptions).toEqual(['127.0.0.1:8080']);
    expect(r.sources['network.airlock_exceptions']).toBe('flag');
    const e = configError(() =>
      resolveConfig({ ...base, flags: { 'network.airlock_exceptions': ['db.local:5432'] } }),
    );
    expect(e.message).toMatch(
      /^flag for network\.airlock_exceptions: network\.airlock_exceptions: "db\.local:5432" does not name an IP address/,
    );
  });

  it('refuses unknown keys in [network]', () => {
    const e = configError(() => resolveConfig({ ...base, file: { network: { airlock: [] } } }));
    expect(e.message).toBe(
      '/h/etc/config.toml: unknown key network.airlock (known in [network]: airlock_exceptions)',
    );
  });

  it('reads the list from etc/config.toml', async () => {
    const root = mkdtempSync(join(tmpdir(), 'astrid-config-'));
    try {
      const home = new AstridHome(root);
      mkdirSync(home.etcDir, { recursive: true });
      const path = join(home.etcDir, 'config.toml');
      writeFileSync(path, '[network]\nairlock_exceptions = ["127.0.0.1:11434", "[::1]:*"]\n');
      const r = await loadDaemonConfig(home, {}, {});
      expect(r.config.network.airlockExceptions).toEqual(['127.0.0.1:11434', '[::1]:*']);
      expect(r.sources['network.airlock_exceptions']).toBe('file');
      writeFileSync(path, '[network]\nairlock_exceptions = ["localhost:11434"]\n');
      await expect(loadDaemonConfig(home, {}, {})).rejects.toThrow(
        `${path}: network.airlock_exceptions: "localhost:11434" does not name an IP address`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
