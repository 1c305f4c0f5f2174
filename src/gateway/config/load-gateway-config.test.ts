import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { AstridHome } from '../../storage/home/astrid-home.js';
import { DEFAULT_GATEWAY_CONFIG } from './gateway-config.js';
import { loadGatewayConfig } from './load-gateway-config.js';

async function home(toml: string | null): Promise<AstridHome> {
  const h = new AstridHome(join(await tempDir(), 'h'));
  await mkdir(h.etcDir, { recursive: true });
  if (toml !== null) await writeFile(join(h.etcDir, 'gateway-http.toml'), toml);
  return h;
}

async function pems(h: AstridHome, keyMode = 0o600) {
  await writeFile(join(h.etcDir, 'cert.pem'), 'CERT');
  await writeFile(join(h.etcDir, 'key.pem'), 'KEY', { mode: keyMode });
  await chmod(join(h.etcDir, 'key.pem'), keyMode);
}

describe('loadGatewayConfig', () => {
  it('a missing file is a disabled gateway', async () => {
    expect(await loadGatewayConfig(await home(null))).toEqual({
      config: DEFAULT_GATEWAY_CONFIG,
      warnings: [],
    });
  });

  it('resolves relative TLS paths against etc/ and accepts two distinct files', async () => {
    const h = await home('enabled = true\n[tls]\ncert-path = "cert.pem"\nkey-path = "key.pem"');
    await pems(h);
    const { config, warnings } = await loadGatewayConfig(h);
    expect(config.tls).toEqual({
      certPath: join(h.etcDir, 'cert.pem'),
      keyPath: join(h.etcDir, 'key.pem'),
    });
    expect(warnings).toEqual([]);
  });

  it('warns when the key is readable by group or others', async () => {
    const h = await home('enabled = true\n[tls]\ncert-path = "cert.pem"\nkey-path = "key.pem"');
    await pems(h, 0o640);
    const { warnings } = await loadGatewayConfig(h);
    expect(warnings[0]).toMatch(/readable by group or others \(mode 640\)/);
  });

  it.each([
    ['the same file', 'cert-path = "cert.pem"\nkey-path = "cert.pem"', /same file/],
    ['a directory', 'cert-path = "."\nkey-path = "key.pem"', /not a regular file/],
    [
      'a missing file',
      'cert-path = "cert.pem"\nkey-path = "nope.pem"',
      /cannot read tls.key-path .*nope\.pem/,
    ],
  ])('refuses TLS paths naming %s', async (_w, tls, message) => {
    const h = await home(`enabled = true\n[tls]\n${tls}`);
    await pems(h);
    await expect(loadGatewayConfig(h)).rejects.toMatchObject({
      code: 'config',
      message: expect.stringMatching(message),
    });
  });

  it('reads the distro file once and requires a [distro] table', async () => {
    const h = await home('enabled = true\ndistro-path = "distro.toml"');
    await writeFile(join(h.etcDir, 'distro.toml'), '[distro]\nid = "acme"\n');
    const { config } = await loadGatewayConfig(h);
    expect(config.distro).toEqual({ distro: { id: 'acme' } });
    await writeFile(join(h.etcDir, 'distro.toml'), '[other]\n');
    await expect(loadGatewayConfig(h)).rejects.toThrow(/has no \[distro\] table/);
    await writeFile(join(h.etcDir, 'distro.toml'), '[distro');
    await expect(loadGatewayConfig(h)).rejects.toThrow(/is not valid TOML/);
  });

  it('refuses a misconfigured file even when the paths are fine', async () => {
    const h = await home('enabled = true\ncors-allow-origins = ["https://app.example/dashboard"]');
    await expect(loadGatewayConfig(h)).rejects.toMatchObject({
      code: 'config',
      message: expect.stringContaining('must not have a path'),
    });
  });

  it('does not touch TLS or distro files of a disabled gateway', async () => {
    const h = await home(
      'enabled = false\ndistro-path = "missing.toml"\n[tls]\ncert-path = "a"\nkey-path = "a"',
    );
    const { config } = await loadGatewayConfig(h);
    expect(config.enabled).toBe(false);
  });
});
