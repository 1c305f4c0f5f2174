import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WasmEngine } from '../../src/capsule/engines/wasm/wasm-engine.js';
import { componentFromJs } from '../helpers/components.js';
import { call, type Harness, harness } from '../helpers/engine-harness.js';
import { streamBody } from '../helpers/local-servers.js';
import { OUTSIDE_JS, OUTSIDE_WORLD } from '../helpers/outside-guest.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(
  handler: Handler,
  host = '127.0.0.1',
): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

const FIFTY_MB = 50 * 1024 * 1024;
let component: Uint8Array;
/** Harness whose operator config lists 127.0.0.1 as an airlock exception. */
let h: Harness;
/** Harness with the default (no exceptions) airlock. */
let strict: Harness;
let local: WasmEngine;
let elsewhere: WasmEngine;
let strictLocal: WasmEngine;
let main: { server: Server; port: number };
let other: { server: Server; port: number };
/** Headers the second origin saw on its last request. */
let otherSaw: IncomingMessage['headers'] = {};
const hanging: ServerResponse[] = [];
let hangingClosed = 0;

beforeAll(async () => {
  component = await componentFromJs(OUTSIDE_JS, OUTSIDE_WORLD, 'outside');
  other = await listen((req, res) => {
    otherSaw = req.headers;
    res.end('other origin');
  });
  main = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    switch (url.pathname) {
      case '/hello':
        res.setHeader('x-seen-auth', req.headers.authorization ?? 'none');
        res.end(`hello ${req.method}`);
        return;
      case '/echo': {
        const parts: Buffer[] = [];
        req.on('data', (c: Buffer) => parts.push(c));
        req.on('end', () => res.end(Buffer.concat(parts)));
        return;
      }
      case '/big':
        res.end(Buffer.alloc(11 * 1024 * 1024, 1));
        return;
      case '/stream50':
        streamBody(res, FIFTY_MB);
        return;
      case '/hang':
        res.writeHead(200);
        res.write('started');
        hanging.push(res);
        res.on('close', () => {
          hangingClosed++;
        });
        return;
      case '/to-other':
        res.writeHead(302, { location: `http://127.0.0.1:${other.port}/landed` });
        res.end();
        return;
      case '/to-same':
        res.writeHead(307, { location: '/hello' });
        res.end();
        return;
      case '/to-denied':
        res.writeHead(302, { location: `http://denied.example/x` });
        res.end();
        return;
      case '/to-v6':
        res.writeHead(302, { location: `http://[::1]:${main.port}/hello` });
        res.end();
        return;
      case '/loop':
        res.writeHead(302, { location: '/loop' });
        res.end();
        return;
      default:
        res.statusCode = 404;
        res.end('missing');
    }
  });
  h = await harness(undefined, { airlockExceptions: ['127.0.0.1:*'] });
  strict = await harness();
  local = await h.engine('httpcap', component, '[capabilities]\nnet = ["127.0.0.1", "::1"]\n');
  elsewhere = await h.engine('httpelse', component, '[capabilities]\nnet = ["Example.COM"]\n');
  strictLocal = await strict.engine(
    'httpstrict',
    component,
    '[capabilities]\nnet = ["127.0.0.1", "::1", "localhost"]\n',
  );
}, 180_000);

afterAll(async () => {
  for (const r of hanging) r.destroy();
  await h?.close();
  await strict?.close();
  main?.server.closeAllConnections();
  other?.server.closeAllConnections();
  main?.server.close();
  other?.server.close();
});

const url = (path: string, port = main.port) => `http://127.0.0.1:${port}${path}`;

describe('astrid:http requests', () => {
  it('fetches from an allowlisted host that the operator excepted from the airlock', async () => {
    const out = await call(local, 'httpGet', { url: url('/hello') });
    expect(out).toEqual({
      ok: expect.objectContaining({ status: 200, body: 'hello GET' }),
    });
    const posted = await call(local, 'httpGet', {
      url: url('/echo'),
      method: 'POST',
      body: 'payload',
    });
    expect(posted).toEqual({ ok: expect.objectContaining({ status: 200, body: 'payload' }) });
  });

  it('refuses hosts that are not on the net allowlist, whatever their case', async () => {
    expect(await call(elsewhere, 'httpGet', { url: url('/hello') })).toEqual(
      expect.objectContaining({ err: 'capability-denied' }),
    );
  });

  it('refuses loopback without an operator exception, for IP literals and for names', async () => {
    expect(await call(strictLocal, 'httpGet', { url: url('/hello') })).toEqual(
      expect.objectContaining({ err: 'airlock-rejected' }),
    );
    expect(await call(strictLocal, 'httpGet', { url: `http://[::1]:${main.port}/hello` })).toEqual(
      expect.objectContaining({ err: 'airlock-rejected' }),
    );
    expect(
      await call(strictLocal, 'httpGet', { url: `http://localhost:${main.port}/hello` }),
    ).toEqual(expect.objectContaining({ err: 'airlock-rejected' }));
  });

  it('checks the request: reserved headers, credentials in URLs, schemes, CONNECT', async () => {
    for (const args of [
      { url: url('/hello'), headers: [{ key: 'Host', value: 'evil' }] },
      { url: url('/hello'), headers: [{ key: 'X-A', value: 'a\r\nb: c' }] },
      { url: `http://user:pw@127.0.0.1:${main.port}/hello` },
      { url: 'file:///etc/passwd' },
      { url: 'not a url' },
      { url: url('/hello'), method: 'CONNECT' },
    ]) {
      expect(await call(local, 'httpGet', args), JSON.stringify(args)).toEqual(
        expect.objectContaining({ err: 'invalid-request' }),
      );
    }
  });

  it('caps buffered responses and request bodies at 10 MiB', async () => {
    expect(await call(local, 'httpGet', { url: url('/big') })).toEqual(
      expect.objectContaining({ err: 'body-too-large' }),
    );
    expect(
      await call(local, 'httpGet', {
        url: url('/echo'),
        method: 'POST',
        body: 'x'.repeat(10 * 1024 * 1024 + 1),
      }),
    ).toEqual(expect.objectContaining({ err: 'body-too-large' }));
  });
});

describe('astrid:http redirects', () => {
  it('follows same-origin redirects and keeps credentials', async () => {
    const out = await call(local, 'httpGet', {
      url: url('/to-same'),
      headers: [{ key: 'Authorization', value: 'Bearer t' }],
    });
    expect(out).toEqual({
      ok: expect.objectContaining({
        status: 200,
        headers: expect.arrayContaining(['x-seen-auth: Bearer t']),
      }),
    });
  });

  it('drops credential headers when a redirect changes origin', async () => {
    otherSaw = {};
    const out = await call(local, 'httpGet', {
      url: url('/to-other'),
      headers: [
        { key: 'Authorization', value: 'Bearer secret' },
        { key: 'Cookie', value: 'sid=1' },
        { key: 'X-Kept', value: 'yes' },
      ],
    });
    expect(out).toEqual({ ok: expect.objectContaining({ status: 200, body: 'other origin' }) });
    expect(otherSaw.authorization).toBeUndefined();
    expect(otherSaw.cookie).toBeUndefined();
    expect(otherSaw['x-kept']).toBe('yes');
  });

  it('checks every hop: the net allowlist and the airlock', async () => {
    expect(await call(local, 'httpGet', { url: url('/to-denied') })).toEqual(
      expect.objectContaining({ err: 'capability-denied' }),
    );
    // ::1 is on the net list but only 127.0.0.1 is excepted from the airlock.
    expect(await call(local, 'httpGet', { url: url('/to-v6') })).toEqual(
      expect.objectContaining({ err: 'airlock-rejected' }),
    );
    expect(await call(local, 'httpGet', { url: url('/loop') })).toEqual(
      expect.objectContaining({ err: 'protocol' }),
    );
  });
});

describe('astrid:http streaming', () => {
  it('streams 50 MB through read-chunk with bounded buffering', async () => {
    h.logs.lines.length = 0;
    const out = await call(local, 'httpStreamCount', { url: url('/stream50') });
    expect(out).toEqual({
      ok: expect.objectContaining({
        status: 200,
        bytes: FIFTY_MB,
        again: 0,
        afterClose: 'closed',
        statusAfterClose: 0,
      }),
    });
    const close = h.logs.lines.find(
      (l) => (l.fields as { fn?: string }).fn === 'astrid:http/host@1.0.0.http-stream.close',
    );
    expect(close).toBeDefined();
    const fields = close?.fields as { bytes: number; peak_buffered: number };
    expect(fields.bytes).toBe(FIFTY_MB);
    expect(fields.peak_buffered).toBeLessThan(4 * 1024 * 1024);
  }, 60_000);

  it('exposes the body as a wasi-style input stream with a pollable', async () => {
    const out = await call(local, 'httpBodyStream', { url: url('/stream50') });
    expect(out).toEqual({ ok: { status: 200, bytes: FIFTY_MB } });
  }, 60_000);

  it('allows four live streams per principal; the call ending closes them', async () => {
    const before = hangingClosed;
    const out = await call(local, 'httpStreamsOpen', { url: url('/hang'), n: 5 });
    expect(out).toEqual({ ok: 4, err: 'quota' });
    await expect.poll(() => hangingClosed - before, { timeout: 5000 }).toBe(4);
    // The quota is per call: the next call can open four again.
    expect(await call(local, 'httpStreamsOpen', { url: url('/hang'), n: 4 })).toEqual({ ok: 4 });
  });
});
