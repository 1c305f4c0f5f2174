import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WasmEngine } from '../../src/capsule/engines/wasm/wasm-engine.js';
import { componentFromJs } from '../helpers/components.js';
import { call, type Harness, harness } from '../helpers/engine-harness.js';
import { tcpExchange, unixExchange } from '../helpers/local-servers.js';
import { OUTSIDE_JS, OUTSIDE_WORLD } from '../helpers/outside-guest.js';

const TOKEN = 'ab'.repeat(32);
let component: Uint8Array;
let h: Harness;
let strict: Harness;
let echo: { server: Server; port: number };
let udpEchoServer: UdpSocket;
let udpPort: number;
let client: WasmEngine;
let strictClient: WasmEngine;
let narrowClient: WasmEngine;
let binder: WasmEngine;
let unixOnly: WasmEngine;
const accepted: Socket[] = [];

beforeAll(async () => {
  component = await componentFromJs(OUTSIDE_JS, OUTSIDE_WORLD, 'outside');
  const server = createServer({ allowHalfOpen: true }, (s) => {
    accepted.push(s);
    s.on('error', () => {});
    s.on('data', (d) => s.write(d));
    s.on('end', () => s.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  echo = { server, port: (server.address() as AddressInfo).port };
  udpEchoServer = createSocket('udp4');
  udpEchoServer.on('message', (msg, rinfo) =>
    udpEchoServer.send(Buffer.from(`echo:${msg.toString()}`), rinfo.port, rinfo.address),
  );
  await new Promise<void>((resolve) => udpEchoServer.bind(0, '127.0.0.1', () => resolve()));
  udpPort = udpEchoServer.address().port;

  h = await harness(undefined, { airlockExceptions: ['127.0.0.1:*'], sessionToken: TOKEN });
  strict = await harness();
  const connectCaps = `net_connect = ["127.0.0.1:${echo.port}", "127.0.0.1:${udpPort}", "LocalHost:*"]`;
  client = await h.engine('netclient', component, `[capabilities]\n${connectCaps}\n`);
  narrowClient = await h.engine(
    'netnarrow',
    component,
    `[capabilities]\nnet_connect = ["127.0.0.1:1"]\n`,
  );
  strictClient = await strict.engine('netstrict', component, `[capabilities]\n${connectCaps}\n`);
  binder = await h.engine(
    'netbinder',
    component,
    `[capabilities]\nnet_bind = ["tcp:127.0.0.1:*", "udp:127.0.0.1:*"]\n${connectCaps}\n`,
  );
  unixOnly = await h.engine('netunix', component, `[capabilities]\nnet_bind = ["unix"]\n`);
}, 180_000);

afterAll(async () => {
  await h?.close();
  await strict?.close();
  for (const s of accepted) s.destroy();
  echo?.server.close();
  udpEchoServer?.close();
});

const err = (tag: string) => expect.objectContaining({ err: tag });

describe('astrid:net connect-tcp', () => {
  it('connects to an allowlisted, operator-excepted address and echoes bytes', async () => {
    const out = await call(client, 'tcpEcho', { host: '127.0.0.1', port: echo.port, data: 'ping' });
    expect(out).toEqual({ ok: { got: 'ping', peer: `127.0.0.1:${echo.port}` } });
  });

  it('refuses ports off the net_connect list and private addresses without an exception', async () => {
    expect(
      await call(narrowClient, 'tcpEcho', { host: '127.0.0.1', port: echo.port, data: 'x' }),
    ).toEqual(err('capability-denied'));
    expect(
      await call(strictClient, 'tcpEcho', { host: '127.0.0.1', port: echo.port, data: 'x' }),
    ).toEqual(err('airlock-rejected'));
    // A name that resolves to loopback is refused too (strict airlock, every address).
    expect(
      await call(strictClient, 'tcpEcho', { host: 'localhost', port: echo.port, data: 'x' }),
    ).toEqual(err('airlock-rejected'));
  });

  it('reads and writes length-prefixed frames', async () => {
    const out = await call(client, 'tcpFrames', {
      host: '127.0.0.1',
      port: echo.port,
      frames: ['one', 'two', 'three'],
    });
    expect(out).toEqual({ ok: ['one', 'two', 'three'] });
  });

  it('exposes the connection as io streams', async () => {
    const out = await call(client, 'tcpStreams', {
      host: '127.0.0.1',
      port: echo.port,
      data: 'through streams',
    });
    expect(out).toEqual({ ok: { permit: true, got: 'through streams' } });
  });

  it('sets and reads socket options; a read timeout answers would-block', async () => {
    const out = await call(client, 'tcpOptions', { host: '127.0.0.1', port: echo.port });
    expect(out).toEqual({
      ok: {
        nodelay: true,
        keepalive: 7,
        hop: 17,
        linger: 0,
        reuse: true,
        readTimeout: 50,
        timedOut: 'would-block',
      },
    });
  });

  it('allows eight live streams per instance, then answers quota', async () => {
    const before = accepted.filter((s) => !s.destroyed).length;
    const out = await call(client, 'tcpMany', { host: '127.0.0.1', port: echo.port });
    expect(out).toEqual({ ok: 8, err: 'quota' });
    // The call ended: every stream it opened is closed.
    await expect
      .poll(() => accepted.filter((s) => !s.destroyed && !s.readableEnded).length, {
        timeout: 5000,
      })
      .toBeLessThanOrEqual(before);
  });
});

describe('astrid:net lookup-host', () => {
  it('needs the name on net_connect and returns plain addresses the airlock allows', async () => {
    expect(await call(narrowClient, 'lookup', { host: 'localhost' })).toEqual(
      err('capability-denied'),
    );
    const out = (await call(client, 'lookup', { host: 'localhost' })) as { ok?: string[] };
    expect(out.ok).toContain('127.0.0.1');
    for (const a of out.ok ?? []) expect(a).not.toMatch(/[[\]]|:\d+$/);
    expect(await call(strictClient, 'lookup', { host: 'localhost' })).toEqual({ ok: [] });
  });
});

describe('astrid:net listeners', () => {
  it('binds TCP only where net_bind allows, and serves a connection', async () => {
    expect(await call(client, 'bindTcp', { host: '127.0.0.1', port: 0 })).toEqual(
      err('capability-denied'),
    );
    expect(await call(binder, 'bindTcp', { host: '0.0.0.0', port: 0 })).toEqual(
      err('capability-denied'),
    );
    const serving = call(binder, 'tcpServe', { host: '127.0.0.1', port: 0, timeoutMs: 5000 });
    // The port comes from the audit line the bind wrote.
    const boundAt = () =>
      h.logs.lines
        .map((l) => l.fields as { fn?: string; local?: string })
        .find((f) => f.fn === 'astrid:net/host@1.0.0.bind-tcp')?.local;
    await expect.poll(boundAt, { timeout: 5000 }).toBeDefined();
    const address = boundAt() as string;
    const port = Number(address.slice(address.lastIndexOf(':') + 1));
    const reply = await tcpExchange(port, 'shout');
    expect(reply).toBe('SHOUT');
    expect(await serving).toEqual({ ok: { local: address, accepted: true, got: 'shout' } });
  });

  it('sends and receives UDP datagrams to allowlisted peers', async () => {
    const out = await call(binder, 'udpEcho', {
      host: '127.0.0.1',
      port: 0,
      timeoutMs: 3000,
      data: 'dgram',
      peerHost: '127.0.0.1',
      peerPort: udpPort,
    });
    expect(out).toEqual({ ok: { data: 'echo:dgram', from: `127.0.0.1:${udpPort}` } });
    expect(
      await call(binder, 'udpEcho', {
        host: '127.0.0.1',
        port: 0,
        timeoutMs: 100,
        data: 'x',
        peerHost: '127.0.0.1',
        peerPort: 9,
      }),
    ).toEqual(err('capability-denied'));
    expect(
      await call(client, 'udpEcho', {
        host: '127.0.0.1',
        port: 0,
        timeoutMs: 100,
        data: 'x',
        peerHost: '127.0.0.1',
        peerPort: udpPort,
      }),
    ).toEqual(err('capability-denied'));
  });
});

describe('astrid:net Unix listener', () => {
  const path = () => h.home.path('run', 'capsules', 'netunix.sock');
  const hello = (token: string, version = 1) => ({
    token,
    protocol_version: version,
    client_version: 'test',
  });

  it('is refused to capsules without net_bind', async () => {
    expect(await call(client, 'unixServe', { timeoutMs: 10 })).toEqual(err('capability-denied'));
  });

  it('accepts a client that presents the session token and exchanges frames', async () => {
    const serving = call(unixOnly, 'unixServe', { timeoutMs: 5000 });
    const { response, reply } = await unixExchange(path(), hello(TOKEN), 'hello');
    expect(response).toEqual(expect.objectContaining({ status: 'ok' }));
    expect(reply).toBe('HELLO');
    expect(await serving).toEqual({ ok: { got: 'hello', peerAddr: 'not-tcp' } });
  });

  it('refuses a wrong token and a wrong protocol version before the capsule sees them', async () => {
    const serving = call(unixOnly, 'unixServe', { timeoutMs: 1500 });
    const bad = await unixExchange(path(), hello('cd'.repeat(32)), 'nope');
    expect(bad.response).toEqual(
      expect.objectContaining({ status: 'error', reason: 'authentication failed' }),
    );
    expect(bad.reply).toBeUndefined();
    const old = await unixExchange(path(), hello(TOKEN, 0), 'nope');
    expect(old.response).toEqual(
      expect.objectContaining({
        status: 'error',
        reason: expect.stringContaining('Protocol version mismatch'),
      }),
    );
    expect(await serving).toEqual({ ok: null });
    expect(
      h.logs.lines.some(
        (l) =>
          l.message === 'unix handshake refused' &&
          (l.fields as { socket?: string }).socket === path(),
      ),
    ).toBe(true);
  });
});
