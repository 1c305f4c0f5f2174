import { describe, expect, it } from 'vitest';
import { DEFAULT_GATEWAY_CONFIG } from './gateway-config.js';
import { parseGatewayConfig } from './parse-gateway-config.js';

function parsed(text: string) {
  const r = parseGatewayConfig(text, 'gateway-http.toml');
  if (!r.ok) throw r.error;
  return r.value;
}

function problem(text: string): string {
  const r = parseGatewayConfig(text, 'gateway-http.toml');
  if (r.ok) throw new Error('expected a config error');
  expect(r.error.code).toBe('config');
  return r.error.message;
}

describe('parseGatewayConfig', () => {
  it('gives the defaults for an empty file', () => {
    const { config, warnings } = parsed('');
    const { distro: _, ...defaults } = DEFAULT_GATEWAY_CONFIG;
    expect(config).toEqual(defaults);
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 2787 });
    expect(config.sessionLifetimeSecs).toBe(28_800);
    expect(config.redeemRateLimitSecs).toBe(1);
    expect(warnings).toEqual([]);
  });

  it('reads every key', () => {
    const { config } = parsed(`
enabled = true
listen = "[::1]:9000"
distro-path = "distro.toml"
session-lifetime-secs = 3600
redeem-rate-limit-secs = 0
cors-allow-origins = ["https://app.example", "http://localhost:5173"]
trust-forwarded-from = ["10.0.0.1", "::1"]
[tls]
cert-path = "/c.pem"
key-path = "/k.pem"
`);
    expect(config).toEqual({
      enabled: true,
      listen: { host: '::1', port: 9000 },
      distroPath: 'distro.toml',
      sessionLifetimeSecs: 3600,
      redeemRateLimitSecs: 0,
      corsAllowOrigins: ['https://app.example', 'http://localhost:5173'],
      trustForwardedFrom: ['10.0.0.1', '::1'],
      tls: { certPath: '/c.pem', keyPath: '/k.pem' },
    });
  });

  it.each([
    ['an unknown key, by name', 'enable = true', /unknown key "enable"/],
    [
      'an unknown [tls] key',
      '[tls]\ncert-path = "/a"\nkey-path = "/b"\nca-path = "/c"',
      /unknown key "tls.ca-path"/,
    ],
    ['a bad listen', 'listen = "localhost:80"', /listen "localhost:80" is not an ip:port/],
    ['a string bool', 'enabled = "yes"', /enabled must be true or false/],
    ['lifetime 0', 'session-lifetime-secs = 0', /session-lifetime-secs must be an integer >= 1/],
    [
      'a negative interval',
      'redeem-rate-limit-secs = -1',
      /redeem-rate-limit-secs must be an integer >= 0/,
    ],
    ['a fractional interval', 'redeem-rate-limit-secs = 1.5', /redeem-rate-limit-secs/],
    ['a CIDR proxy', 'trust-forwarded-from = ["10.0.0.0/8"]', /CIDR/],
    ['a hostname proxy', 'trust-forwarded-from = ["proxy.local"]', /not a bare IPv4\/IPv6/],
    [
      'a bad origin',
      'cors-allow-origins = ["https://app.example/"]',
      /"https:\/\/app.example\/" must not end with '\/'/,
    ],
    ['a raw IDN origin', 'cors-allow-origins = ["https://äpp.example"]', /xn--/],
    ['origins not an array', 'cors-allow-origins = "https://app.example"', /array of strings/],
    ['tls without a key', '[tls]\ncert-path = "/a"', /both cert-path and key-path/],
    ['tls not a table', 'tls = "yes"', /tls must be a table/],
    ['invalid TOML', 'enabled = = true', /not valid TOML/],
  ])('refuses %s', (_what, text, message) => {
    expect(problem(text)).toMatch(message);
  });

  it('reports every problem at once', () => {
    const message = problem('bogus = 1\nlisten = "x"');
    expect(message).toContain('unknown key "bogus"');
    expect(message).toContain('listen "x"');
  });

  it('warns about plain HTTP on a non-loopback address, not on loopback or with TLS or disabled', () => {
    expect(parsed('enabled = true\nlisten = "0.0.0.0:2787"').warnings[0]).toMatch(
      /plain HTTP on the non-loopback address 0\.0\.0\.0:2787.*TLS/,
    );
    expect(parsed('enabled = true\nlisten = "127.0.0.1:2787"').warnings).toEqual([]);
    expect(parsed('enabled = true\nlisten = "[::1]:2787"').warnings).toEqual([]);
    expect(
      parsed('enabled = true\nlisten = "0.0.0.0:2787"\n[tls]\ncert-path = "/a"\nkey-path = "/b"')
        .warnings,
    ).toEqual([]);
    expect(parsed('listen = "0.0.0.0:2787"').warnings).toEqual([]);
  });
});
