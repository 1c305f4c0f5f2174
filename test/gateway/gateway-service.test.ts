import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { describe, expect, it } from 'vitest';
import type { PrincipalId } from '../../src/core/ids/principal-id.js';
import { DRAIN_MS, startGateway } from '../../src/gateway/gateway-service.js';
import { bootKernel } from '../helpers/kernel-harness.js';
import { mintTestCertificate } from '../helpers/tls-cert.js';

async function kernelWith(toml: string | null) {
  const k = await bootKernel();
  await mkdir(k.home.etcDir, { recursive: true });
  if (toml !== null) await writeFile(join(k.home.etcDir, 'gateway-http.toml'), toml);
  return k;
}

describe('startGateway (daemon wiring)', () => {
  it('does nothing without a config file or when disabled', async () => {
    for (const toml of [null, 'enabled = false\n']) {
      const k = await kernelWith(toml);
      try {
        expect(await startGateway(k.kernel, k.logs)).toBeNull();
      } finally {
        await k.close();
      }
    }
  });

  it('listens, warns about plain HTTP on a non-loopback address, and stops', async () => {
    const k = await kernelWith('enabled = true\nlisten = "0.0.0.0:0"\n');
    try {
      const gw = await startGateway(k.kernel, k.logs);
      if (gw === null) throw new Error('gateway not started');
      expect(gw.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
      const port = new URL(gw.url).port;
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await res.text()).toBe('ok\n');
      expect(
        k.logs.lines.some(
          (l) =>
            l.level === 'warn' &&
            l.fields.security_event === true &&
            /plain HTTP on the non-loopback address 0\.0\.0\.0/.test(l.message ?? ''),
        ),
      ).toBe(true);
      await gw.stop();
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      await k.close();
    }
  });

  it('ends open event streams cleanly on stop and does not wait on their kept-alive connections', async () => {
    const k = await kernelWith('enabled = true\nlisten = "127.0.0.1:0"\n');
    const dispatcher = new Agent({ keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });
    try {
      const gw = await startGateway(k.kernel, k.logs);
      if (gw === null) throw new Error('gateway not started');
      const bearer = gw.ctx.tokens.mint('default' as PrincipalId).token;
      const res = await fetch(`${gw.url}/api/events`, {
        headers: { authorization: `Bearer ${bearer}` },
        dispatcher,
      });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: ready');
      const started = Date.now();
      const stopped = gw.stop();
      // The stream ends cleanly; the client keeps its connection for reuse.
      for (;;) if ((await reader.read()).done) break;
      await stopped;
      expect(Date.now() - started).toBeLessThan(DRAIN_MS / 3);
      expect(k.logs.lines.some((l) => /drain timed out/.test(l.message ?? ''))).toBe(false);
    } finally {
      await dispatcher.close();
      await k.close();
    }
  });

  it('does not wait on a connection that never sent a request', async () => {
    // Regression: a client that connected just as the daemon stopped (and sent
    // nothing) held the shutdown for the whole 30 s drain.
    const k = await kernelWith('enabled = true\nlisten = "127.0.0.1:0"\n');
    try {
      const gw = await startGateway(k.kernel, k.logs);
      if (gw === null) throw new Error('gateway not started');
      const accepted = new Promise((resolve) => gw.app.server.once('connection', resolve));
      const silent = connect(Number(new URL(gw.url).port), '127.0.0.1');
      const closed = new Promise((resolve) => silent.once('close', resolve));
      silent.on('error', () => {});
      await accepted;
      const started = Date.now();
      await gw.stop();
      expect(Date.now() - started).toBeLessThan(DRAIN_MS / 3);
      await closed;
      expect(k.logs.lines.some((l) => /drain timed out/.test(l.message ?? ''))).toBe(false);
    } finally {
      await k.close();
    }
  });

  it('serves TLS from the configured files and warns about a group-readable key', async () => {
    const cert = await mintTestCertificate();
    await chmod(cert.keyPath, 0o640);
    const k = await kernelWith(
      `enabled = true\nlisten = "127.0.0.1:0"\n[tls]\ncert-path = "${cert.certPath}"\nkey-path = "${cert.keyPath}"\n`,
    );
    const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
    try {
      const gw = await startGateway(k.kernel, k.logs);
      if (gw === null) throw new Error('gateway not started');
      expect(gw.url).toMatch(/^https:\/\//);
      const res = await fetch(`${gw.url}/healthz`, { dispatcher });
      expect(res.status).toBe(200);
      expect(res.headers.get('strict-transport-security')).toBe(
        'max-age=63072000; includeSubDomains',
      );
      expect(
        k.logs.lines.some(
          (l) => l.level === 'warn' && /readable by group or others/.test(l.message ?? ''),
        ),
      ).toBe(true);
      await gw.stop();
    } finally {
      await dispatcher.close();
      await k.close();
    }
  });

  it('fails with a clear error when the address is taken', async () => {
    const k = await kernelWith('enabled = true\nlisten = "127.0.0.1:0"\n');
    try {
      const first = await startGateway(k.kernel, k.logs);
      if (first === null) throw new Error('gateway not started');
      const port = new URL(first.url).port;
      await writeFile(
        join(k.home.etcDir, 'gateway-http.toml'),
        `enabled = true\nlisten = "127.0.0.1:${port}"\n`,
      );
      await expect(startGateway(k.kernel, k.logs)).rejects.toThrow(
        new RegExp(`gateway cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`),
      );
      await first.stop();
    } finally {
      await k.close();
    }
  });
});
