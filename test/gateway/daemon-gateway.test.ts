import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newHome, startDaemon } from '../helpers/daemon-process.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

async function homeWithGateway(toml: string): Promise<string> {
  const home = await newHome();
  await mkdir(join(home, 'etc'), { recursive: true, mode: 0o700 });
  await writeFile(join(home, 'etc', 'gateway-http.toml'), toml);
  return home;
}

describe('astrid-daemon with the HTTP gateway', () => {
  it('serves the gateway when etc/gateway-http.toml enables it, and stops with the daemon', async () => {
    const port = await freePort();
    const home = await homeWithGateway(`enabled = true\nlisten = "127.0.0.1:${port}"\n`);
    const daemon = await startDaemon({ home });
    try {
      const deadline = Date.now() + 10_000;
      let res: Response | null = null;
      while (res === null) {
        try {
          res = await fetch(`http://127.0.0.1:${port}/healthz`);
        } catch (e) {
          if (Date.now() > deadline) throw e;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('ok\n');
      expect(existsSync(join(home, 'keys', 'gateway.ed25519'))).toBe(true);
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 60_000);

  it.each([
    [
      'an invalid CORS origin',
      'enabled = true\ncors-allow-origins = ["https://app.example/"]\n',
      /cors-allow-origins entry "https:\/\/app\.example\/" must not end with '\/'/,
    ],
    [
      'an unknown key',
      'enabled = true\nlisten-addr = "127.0.0.1:1"\n',
      /unknown key "listen-addr"/,
    ],
    [
      'a TLS key that is the certificate',
      'enabled = true\n[tls]\ncert-path = "/etc/hostname"\nkey-path = "/etc/hostname"\n',
      /same file/,
    ],
  ])(
    'refuses to boot with %s, saying why, and leaves no run files',
    async (_w, toml, message) => {
      const home = await homeWithGateway(toml);
      const daemon = await startDaemon({ home, waitReady: false });
      const code = await daemon.exited;
      expect(code).not.toBe(0);
      expect(daemon.stderr()).toMatch(/✗ error: gateway: /);
      expect(daemon.stderr()).toMatch(message);
      for (const f of ['system.sock', 'system.token', 'system.ready'])
        expect(existsSync(join(home, 'run', f))).toBe(false);
    },
    60_000,
  );

  it('refuses to boot with a signing key of the wrong length', async () => {
    const home = await homeWithGateway('enabled = true\nlisten = "127.0.0.1:0"\n');
    await mkdir(join(home, 'keys'), { recursive: true, mode: 0o700 });
    await writeFile(join(home, 'keys', 'gateway.ed25519'), Buffer.alloc(31), { mode: 0o600 });
    const daemon = await startDaemon({ home, waitReady: false });
    expect(await daemon.exited).not.toBe(0);
    expect(daemon.stderr()).toMatch(
      /gateway\.ed25519 must be exactly 32 bytes \(found 31\); delete it/,
    );
  }, 60_000);
});
