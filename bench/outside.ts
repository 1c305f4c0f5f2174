// The outside world from a capsule: an HTTP request through astrid:http
// (guarded agent, airlock, allowlist) against a direct undici request to the
// same local server; 50 MB streamed through http-stream (throughput and the
// host's peak buffering); a TCP connect + echo through astrid:net; and a
// sandboxed `true` through astrid:process against a plain spawn and a bare
// bwrap spawn.

import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import { request } from 'undici';
import { componentFromJs } from '../test/helpers/components.js';
import { call, harness } from '../test/helpers/engine-harness.js';
import { streamBody } from '../test/helpers/local-servers.js';
import { OUTSIDE_JS, OUTSIDE_WORLD } from '../test/helpers/outside-guest.js';
import { median, report } from './lib/measure.js';

const FIFTY_MB = 50 * 1024 * 1024;

async function timeSerial(fn: () => Promise<unknown>, iterations: number): Promise<number> {
  for (let i = 0; i < Math.min(20, iterations); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
}

const web = createHttpServer((req, res) => {
  if (req.url === '/stream') {
    streamBody(res, FIFTY_MB);
    return;
  }
  res.end('ok');
});
await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
const webPort = (web.address() as AddressInfo).port;
const echo = createTcpServer((s) => {
  s.on('data', (d) => s.write(d));
  s.on('error', () => {});
});
await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
const echoPort = (echo.address() as AddressInfo).port;

const h = await harness(undefined, { airlockExceptions: ['127.0.0.1:*'] });
try {
  const component = await componentFromJs(OUTSIDE_JS, OUTSIDE_WORLD, 'outside');
  const engine = await h.engine(
    'outside',
    component,
    `[capabilities]\nnet = ["127.0.0.1"]\nnet_connect = ["127.0.0.1:${echoPort}"]\nhost_process = ["true"]\n`,
  );
  const url = `http://127.0.0.1:${webPort}/small`;

  // --- http request ---------------------------------------------------------
  const viaCapsule = await timeSerial(() => call(engine, 'httpGet', { url }), 300);
  const direct = await timeSerial(async () => {
    const r = await request(url);
    await r.body.text();
  }, 300);
  report(
    'http request via astrid:http',
    viaCapsule * 1000,
    'µs median',
    'guest call, local server',
  );
  report('http request via undici directly', direct * 1000, 'µs median', 'floor');

  // --- 50 MB stream ---------------------------------------------------------
  h.logs.lines.length = 0;
  const t = performance.now();
  const out = (await call(engine, 'httpStreamCount', {
    url: `http://127.0.0.1:${webPort}/stream`,
  })) as {
    ok?: { bytes: number };
  };
  const seconds = (performance.now() - t) / 1000;
  if (out.ok?.bytes !== FIFTY_MB) throw new Error(`stream returned ${JSON.stringify(out)}`);
  const close = h.logs.lines.find(
    (l) => (l.fields as { fn?: string }).fn === 'astrid:http/host@1.0.0.http-stream.close',
  )?.fields as { peak_buffered: number } | undefined;
  report(
    'http-stream 50 MB throughput',
    FIFTY_MB / 1024 / 1024 / seconds,
    'MiB/s',
    'read-chunk loop',
  );
  report(
    'http-stream peak host buffering',
    (close?.peak_buffered ?? 0) / 1024,
    'KiB',
    '50 MB body',
  );

  // --- tcp ------------------------------------------------------------------
  const tcp = await timeSerial(
    () => call(engine, 'tcpEcho', { host: '127.0.0.1', port: echoPort, data: 'ping' }),
    300,
  );
  report('tcp connect + echo via astrid:net', tcp * 1000, 'µs median', 'guest call');

  // --- process --------------------------------------------------------------
  const sandbox = h.services.sandbox.state;
  if (sandbox.available) {
    const viaSandbox = await timeSerial(() => call(engine, 'spawn', { cmd: 'true' }), 100);
    const plain = await timeSerial(() => run('/usr/bin/true', []), 100);
    const bare = await timeSerial(
      () =>
        run(sandbox.bwrap, [
          '--ro-bind',
          '/usr',
          '/usr',
          '--symlink',
          'usr/lib64',
          '/lib64',
          '--symlink',
          'usr/lib',
          '/lib',
          '--unshare-all',
          '--die-with-parent',
          '--',
          '/usr/bin/true',
        ]),
      100,
    );
    report('process spawn via astrid:process', viaSandbox * 1000, 'µs median', 'sandboxed `true`');
    report('process spawn, bare bwrap', bare * 1000, 'µs median', 'same namespaces');
    report('process spawn, unsandboxed', plain * 1000, 'µs median', 'floor');
  } else {
    console.log(`process spawn: skipped (${sandbox.reason})`);
  }
} finally {
  await h.close();
  web.close();
  echo.close();
}
