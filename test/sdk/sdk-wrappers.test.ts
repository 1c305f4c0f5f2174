import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WasmEngine } from '../../src/capsule/engines/wasm/wasm-engine.js';
import { parseCapsuleId } from '../../src/core/ids/capsule-id.js';
import { ipcEvent } from '../../src/events/astrid-event.js';
import { type IpcMessage, ipcMessage } from '../../src/events/ipc-message.js';
import { guestJsonValue, type IpcPayload, rawJson } from '../../src/events/ipc-payload.js';
import { buildCapsule } from '../../src/sdk-build/build-capsule.js';
import { answerNext } from '../helpers/bus-answers.js';
import { call, type Harness, harness, parsePrincipalId } from '../helpers/engine-harness.js';
import { streamBody, tcpExchange, unixExchange } from '../helpers/local-servers.js';

/**
 * Every @astrid/sdk host wrapper, driven through a real capsule
 * (test/fixtures/sdk-probe, built with `buildCapsule`) under the real
 * engine: each interceptor answers `{ok}` or `{err: <HostError code>}`.
 * The same component is loaded with different capability tables so each
 * check states what it is granted.
 */

const FIXTURE = fileURLToPath(new URL('../fixtures/sdk-probe/', import.meta.url));
const TOKEN = 'cd'.repeat(32);
const MiB = 1024 * 1024;
const STREAM_BYTES = 3 * MiB;

let component: Uint8Array;
/** Operator config excepts 127.0.0.1 from the airlock; the Unix listener has a session token. */
let h: Harness;
/** The default airlock. */
let strict: Harness;
let core: WasmEngine;
let files: WasmEngine;
let web: WasmEngine;
let proc: WasmEngine;
let people: WasmEngine;
let bare: WasmEngine;
let strictWeb: WasmEngine;

let httpServer: HttpServer;
let httpPort: number;
const hanging: ServerResponse[] = [];
let hangingClosed = 0;
let echoServer: Server;
let echoPort: number;
const echoSockets: Socket[] = [];
let udpServer: UdpSocket;
let udpPort: number;

const CORE_TOML = `
[capabilities]
uplink = true
[publish]
"probe.*" = { wit = "opaque" }
[subscribe]
"probe.*" = { wit = "opaque" }
"probe.bound" = { wit = "opaque", handler = "kvRoundTrip" }
`;

function webToml(): string {
  return `
[capabilities]
net = ["127.0.0.1"]
net_connect = ["127.0.0.1:*", "localhost:*"]
net_bind = ["tcp:127.0.0.1:*", "udp:127.0.0.1:*"]
[publish]
"probe.*" = { wit = "opaque" }
`;
}

function handleHttp(req: import('node:http').IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  switch (path) {
    case '/hello':
      res.setHeader('content-type', 'text/plain');
      res.setHeader('x-multi', ['a', 'b']);
      res.end(`hello ${req.method}`);
      return;
    case '/json':
      res.setHeader('content-type', 'application/json');
      res.end('{"hello":"world"}');
      return;
    case '/echo': {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        res.setHeader('content-type', req.headers['content-type'] ?? 'none');
        res.end(Buffer.concat(parts));
      });
      return;
    }
    case '/big':
      res.end(Buffer.alloc(11 * MiB, 1));
      return;
    case '/stream':
      streamBody(res, STREAM_BYTES, 64 * 1024);
      return;
    case '/hang':
      res.writeHead(200);
      res.write('started');
      hanging.push(res);
      res.on('close', () => {
        hangingClosed++;
      });
      return;
    default:
      res.statusCode = 404;
      res.end('missing');
  }
}

beforeAll(async () => {
  const built = await buildCapsule(FIXTURE, { skipPack: true });
  component = await readFile(built.componentPath);

  httpServer = createHttpServer(handleHttp);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  httpPort = (httpServer.address() as AddressInfo).port;
  echoServer = createServer({ allowHalfOpen: true }, (s) => {
    echoSockets.push(s);
    s.on('error', () => {});
    s.on('data', (d) => s.write(d));
    s.on('end', () => s.end());
  });
  await new Promise<void>((resolve) => echoServer.listen(0, '127.0.0.1', resolve));
  echoPort = (echoServer.address() as AddressInfo).port;
  udpServer = createSocket('udp4');
  udpServer.on('message', (msg, rinfo) =>
    udpServer.send(Buffer.from(`echo:${msg.toString()}`), rinfo.port, rinfo.address),
  );
  await new Promise<void>((resolve) => udpServer.bind(0, '127.0.0.1', () => resolve()));
  udpPort = udpServer.address().port;

  h = await harness(undefined, { airlockExceptions: ['127.0.0.1:*'], sessionToken: TOKEN });
  strict = await harness();
  (h.services as { timeouts?: unknown }).timeouts = { approvalMs: 1500, elicitMs: 1500 };
  for (const p of ['default', 'alice', 'bob'])
    mkdirSync(join(h.home.root, 'home', p, '.local'), { recursive: true });
  h.profiles.set('alice', { groups: ['agent'] }).set('bob', { groups: ['agent'] });
  const ws = h.services.workspace;
  writeFileSync(join(ws, 'readme.txt'), 'visible');
  symlinkSync('readme.txt', join(ws, 'inner'));
  mkdirSync(join(ws, 'out'));

  core = await h.engine('probe-core', component, CORE_TOML, {
    config: new Map([['GREETING', 'from the config']]),
  });
  // A non-owner's env overlay wins over the capsule's config.
  const overlay = h.home.envFile(parseCapsuleId('probe-core'), parsePrincipalId('alice'));
  mkdirSync(dirname(overlay), { recursive: true });
  writeFileSync(overlay, JSON.stringify({ GREETING: 'from alice' }));
  files = await h.engine(
    'probe-fs',
    component,
    '[capabilities]\nfs_read = ["*", "home://"]\nfs_write = ["*", "home://"]\n',
  );
  web = await h.engine('probe-net', component, webToml());
  proc = await h.engine(
    'probe-proc',
    component,
    '[capabilities]\nhost_process = ["sh -c", "echo", "cat", "sleep"]\nallow_persistent = true\n' +
      'fs_read = ["cwd://"]\nfs_write = ["cwd://out"]\n',
  );
  people = await h.engine(
    'probe-people',
    component,
    '[capabilities]\nidentity = ["admin"]\nuplink = true\n',
  );
  bare = await h.engine('probe-bare', component, '');
  strictWeb = await strict.engine('probe-strict', component, webToml());
}, 240_000);

afterAll(async () => {
  for (const r of hanging) r.destroy();
  for (const s of echoSockets) s.destroy();
  await h?.close();
  await strict?.close();
  httpServer?.closeAllConnections();
  httpServer?.close();
  echoServer?.close();
  udpServer?.close();
});

type Answer = { ok?: unknown; err?: string; detail?: string | null; iface?: string };
const run = async (
  engine: WasmEngine,
  action: string,
  args: unknown = {},
  principal: string | null = null,
): Promise<Answer> => (await call(engine, action, args, principal)) as Answer;
const ok = (value: unknown) => ({ ok: value });
const err = (code: string, iface?: string) =>
  expect.objectContaining(iface === undefined ? { err: code } : { err: code, iface });
const url = (path: string) => `http://127.0.0.1:${httpPort}${path}`;

/** The next message on `topic`, as the guest published it (subscribe before triggering it). */
function nextOnBus(topic: string): Promise<{ message: IpcMessage; body: unknown }> {
  const sub = h.bus.subscribeRouted({
    capsuleUuid: `t-${Math.random()}`,
    pattern: topic,
    capsuleLabel: 'test',
  });
  return (async () => {
    const m = await sub.recv(10_000);
    sub.close();
    if (m === null) throw new Error(`nothing on ${topic}`);
    return { message: m, body: guestJsonValue(m.payload) };
  })();
}

function publish(topic: string, principal: string | null, payload: IpcPayload, claimed = false) {
  h.bus.publish(ipcEvent(ipcMessage({ topic, payload, principal, claimed })));
}

describe('kv', () => {
  it('round-trips bytes, text and JSON; pages, clears and compare-and-swaps', async () => {
    expect(await run(core, 'kvRoundTrip')).toEqual(
      ok({
        bytes: [1, 2, 3],
        json: { a: [1, true, null] },
        missing: true,
        keys: ['page/0', 'page/1', 'page/2', 'page/3', 'page/4'],
        pages: [['page/0', 'page/1'], ['page/2', 'page/3'], ['page/4']],
        cas: ['ok', 'cas-mismatch', 'ok', '3'],
        cleared: 5,
        afterClear: [],
        deleted: null,
        errors: {
          emptyKey: 'invalid-key',
          notJson: expect.stringMatching(/^trap:SyntaxError: kv key plain is not valid JSON/),
        },
      }),
    );
  });

  it('keeps each invoking principal in its own namespace', async () => {
    expect(await run(core, 'kvSetText', { key: 'who', value: 'alice' }, 'alice')).toEqual(ok('ok'));
    expect(await run(core, 'kvGetText', { key: 'who' }, 'bob')).toEqual(ok(null));
    expect(await run(core, 'kvGetText', { key: 'who' }, 'alice')).toEqual(ok('alice'));
    expect(
      new TextDecoder().decode(h.services.kv.get('alice:capsule:probe-core', 'who') ?? undefined),
    ).toBe('alice');
  });
});

describe('ipc', () => {
  it('publishes JSON and JSON text attributed to the caller; refuses what the manifest does not allow', async () => {
    const json = nextOnBus('probe.out');
    expect(
      await run(core, 'ipcPublish', { topic: 'probe.out', payload: { x: 1 } }, 'alice'),
    ).toEqual(ok('ok'));
    const got = await json;
    expect(got.body).toEqual({ x: 1 });
    expect(got.message.principal).toBe('alice');
    const textual = nextOnBus('probe.text');
    expect(await run(core, 'ipcPublishText', { topic: 'probe.text', json: '{"y":[2]}' })).toEqual(
      ok('ok'),
    );
    expect((await textual).body).toEqual({ y: [2] });
    expect(await run(core, 'ipcErrors')).toEqual(
      ok({
        publish: 'capability-denied',
        publishText: 'invalid-input',
        subscribe: 'capability-denied',
        badPattern: 'invalid-input',
      }),
    );
  });

  it('publishAs marks the principal as claimed, for uplink capsules only', async () => {
    const claimed = nextOnBus('probe.as');
    expect(
      await run(core, 'ipcPublishAs', { topic: 'probe.as', payload: { z: 3 }, principal: 'carol' }),
    ).toEqual(ok('ok'));
    const got = await claimed;
    expect(got.message).toMatchObject({ principal: 'carol', claimed: true });
    expect(got.body).toEqual({ z: 3 });
    expect(
      await run(bare, 'ipcPublishAs', { topic: 'probe.as', payload: {}, principal: 'carol' }),
    ).toEqual(err('capability-denied', 'astrid:ipc/host'));
  });

  it('subscribes, waits with io.poll, receives with attribution, and closes', async () => {
    const subscribed = nextOnBus('probe.subscribed');
    const pending = run(core, 'ipcReceive', { pattern: 'probe.in.*', want: 3 }, 'alice');
    expect((await subscribed).body).toEqual({ pattern: 'probe.in.*' });
    publish('probe.in.a', 'dave', rawJson({ n: 1 }));
    publish('probe.in.b', null, rawJson({ n: 2 }));
    publish('probe.in.c', 'carol', rawJson({ n: 3 }), true);
    const out = await pending;
    expect(out).toEqual(
      ok({
        ready: [0],
        messages: [
          {
            topic: 'probe.in.a',
            payload: { n: 1 },
            text: '{"n":1}',
            from: 'verified:dave',
            hasSource: true,
          },
          {
            topic: 'probe.in.b',
            payload: { n: 2 },
            text: '{"n":2}',
            from: 'system',
            hasSource: true,
          },
          {
            topic: 'probe.in.c',
            payload: { n: 3 },
            text: '{"n":3}',
            from: 'claimed:carol',
            hasSource: true,
          },
        ],
        quiet: 0,
        afterClose: 'closed',
      }),
    );
  });

  it('close frees the subscription slot: 140 subscribe/close pairs fit in a 128-slot Store', async () => {
    expect(await run(core, 'ipcSubscribeClose')).toEqual(
      ok({ churned: 140, held: 128, quota: 'quota' }),
    );
  });

  it('lists interceptor bindings only for run loops: none for a pooled interceptor capsule', async () => {
    expect(await run(core, 'ipcBindings')).toEqual(ok([]));
  });
});

describe('log and runtime', () => {
  it('writes each level to the capsule log of the invoking principal', async () => {
    expect(await run(core, 'logLines', { marker: 'm-7f3' })).toEqual(ok('ok'));
    const dir = join(h.home.root, 'home', 'default', '.local', 'log', 'probe-core');
    const text = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('');
    for (const level of ['info', 'warn', 'error']) expect(text).toContain(`m-7f3 ${level}`);
    // Errors also reach the daemon's own log.
    expect(h.logs.lines.some((l) => l.message === 'm-7f3 error')).toBe(true);
  });

  it('caller, env, clocks, sleep, randomness and capabilities, with their error codes', async () => {
    const before = Date.now();
    const out = await run(core, 'runtime', {}, 'alice');
    expect(out).toEqual(
      ok({
        principal: 'alice',
        sourceId: '11111111-1111-4111-8111-111111111111',
        hasTimestamp: true,
        greeting: 'from alice',
        unset: null,
        now: expect.any(Number),
        sleptMs: expect.any(Number),
        random: [16, 0],
        capabilities: expect.arrayContaining(['uplink']),
        errors: { random: 'too-large', sleep: 'too-large', check: 'registry-unavailable' },
      }),
    );
    expect(await run(core, 'runtime', {}, 'bob')).toEqual(
      ok(expect.objectContaining({ principal: 'bob', greeting: 'from the config' })),
    );
    const got = out.ok as { now: number; sleptMs: number };
    expect(got.now).toBeGreaterThanOrEqual(before);
    expect(got.sleptMs).toBeGreaterThanOrEqual(29);
  });
});

describe('fs', () => {
  it('reads, writes, appends, lists, stats, moves, links and removes', async () => {
    expect(await run(files, 'fsFiles')).toEqual(
      ok({
        text: 'alpha',
        bytes: [0, 1, 2, 255],
        json: { k: [1, 2] },
        jsonText: '{\n  "k": [\n    1,\n    2\n  ]\n}',
        log: 'one\ntwo\n',
        moved: 'alpha',
        list: ['a-link.txt', 'a.txt', 'b.bin', 'c.json', 'dir', 'flat', 'log.txt'],
        exists: [true, false],
        stat: { size: 5, kind: 'regular', modified: true },
        dirKind: 'directory',
        link: {
          kind: 'symlink',
          followed: 'regular',
          target: 'readme.txt',
          canonical: 'cwd://readme.txt',
        },
        removedFile: 1,
        removedTree: 3,
        removedEmptyDir: 1,
        after: ['a.txt', 'b.bin', 'c.json', 'log.txt'],
        errors: {
          missing: 'not-found',
          mkdirExisting: 'already-exists',
          mkdirNoParent: 'not-found',
          removeDir: 'is-directory',
          listFile: 'not-directory',
          escape: 'boundary-escape',
          readLinkFile: 'invalid-path',
          statMissing: 'not-found',
          lstatMissing: 'not-found',
          renameMissing: 'not-found',
          copyMissing: 'not-found',
          linkExisting: 'already-exists',
          appendDir: 'is-directory',
          canonicalEscape: 'boundary-escape',
          tooLarge: 'too-large',
          writeJsonDir: 'is-directory',
          notJson: expect.stringMatching(/^trap:SyntaxError: probe\/a.txt is not valid JSON/),
        },
      }),
    );
  });

  it('file handles: positional I/O, truncate, sync, modes; close releases the handle', async () => {
    expect(await run(files, 'fsHandles')).toEqual(
      ok({
        wrote: 11,
        read: 'world',
        size: 5,
        afterClose: 'closed',
        reopened: 24,
        whole: 'hello!',
        readOnAppend: 'access',
        writeOnRead: 'access',
        held: 16,
        quota: 'quota',
        missing: 'not-found',
      }),
    );
  });

  it('is gated by fs_read / fs_write; home:// writes land in the principal’s home', async () => {
    expect(await run(bare, 'fsRead', { path: 'readme.txt' })).toEqual(
      err('capability-denied', 'astrid:fs/host'),
    );
    expect(await run(bare, 'fsWrite', { path: 'x.txt', content: 'x' })).toEqual(
      err('capability-denied'),
    );
    expect(await run(files, 'fsRead', { path: 'readme.txt' })).toEqual(ok('visible'));
    expect(
      await run(files, 'fsWrite', { path: 'home://notes.md', content: 'mine' }, 'alice'),
    ).toEqual(ok('ok'));
    expect(readFileSync(join(h.home.root, 'home', 'alice', 'notes.md'), 'utf8')).toBe('mine');
  });
});

describe('http', () => {
  it('fetch: status, headers with case-insensitive lookup, text, bytes and json', async () => {
    expect(await run(web, 'httpFetch', { url: url('/hello'), headers: { 'X-Test': '1' } })).toEqual(
      ok({
        status: 200,
        ok: true,
        contentType: 'text/plain',
        multi: 'a, b',
        multiAll: ['a', 'b'],
        missing: null,
        has: [true, false],
        isArray: true,
        record: 'a, b',
        text: 'hello GET',
        bytes: 9,
        json: 'not json: SyntaxError',
      }),
    );
    expect(await run(web, 'httpFetch', { url: url('/json') })).toEqual(
      ok(expect.objectContaining({ json: { hello: 'world' } })),
    );
    expect(
      await run(web, 'httpFetch', { url: url('/echo'), method: 'post', json: { n: 1 } }),
    ).toEqual(ok(expect.objectContaining({ text: '{"n":1}', contentType: 'application/json' })));
    expect(
      await run(web, 'httpFetch', { url: url('/echo'), method: 'PUT', body: 'plain body' }),
    ).toEqual(ok(expect.objectContaining({ text: 'plain body' })));
    expect(await run(web, 'httpFetch', { url: url('/nowhere') })).toEqual(
      ok(expect.objectContaining({ status: 404, ok: false, text: 'missing' })),
    );
  });

  it('fetch errors carry the contract codes', async () => {
    expect(await run(web, 'httpErrors', { url: url('/hello'), big: url('/big') })).toEqual(
      ok({
        invalid: 'invalid-request',
        connect: 'invalid-request',
        badHeader: 'invalid-request',
        tooBig: 'body-too-large',
        bothBodies: 'trap:TypeError: give a request either body or json, not both',
        stream: 'invalid-request',
      }),
    );
    expect(await run(bare, 'httpFetch', { url: url('/hello') })).toEqual(
      err('capability-denied', 'astrid:http/host'),
    );
    expect(await run(strictWeb, 'httpFetch', { url: url('/hello') })).toEqual(
      err('airlock-rejected'),
    );
  });

  it('streams a body chunk by chunk; chunks() closes the stream at the end', async () => {
    expect(await run(web, 'httpStream', { url: url('/stream') })).toEqual(
      ok({
        status: 200,
        ok: true,
        type: 'application/octet-stream',
        bytes: STREAM_BYTES,
        chunks: true,
        afterEnd: 'closed',
      }),
    );
    expect(await run(web, 'httpStreamRead', { url: url('/stream') })).toEqual(
      ok({ ready: [0], bytes: STREAM_BYTES, again: true, textLength: STREAM_BYTES }),
    );
  }, 60_000);

  it('breaking out of chunks() closes the request', async () => {
    const before = hangingClosed;
    expect(await run(web, 'httpStreamBreak', { url: url('/hang') })).toEqual(
      ok({ first: true, afterBreak: 'closed' }),
    );
    await expect.poll(() => hangingClosed - before, { timeout: 5000 }).toBe(1);
  });

  it('exposes the body as an io input stream', async () => {
    expect(await run(web, 'httpBody', { url: url('/stream') })).toEqual(
      ok({ status: 200, bytes: STREAM_BYTES, end: true, afterClose: 'closed' }),
    );
    expect(await run(web, 'httpBodyText', { url: url('/hello') })).toEqual(ok('hello GET'));
  }, 60_000);

  it('four live streams per principal; close frees a slot within the call', async () => {
    expect(await run(web, 'httpStreamSlots', { url: url('/hang') })).toEqual(
      ok({ held: 4, fifth: 'quota', again: 'ok' }),
    );
  });
});

describe('net', () => {
  const at = () => ({ host: '127.0.0.1', port: echoPort });

  it('TCP: write, peek, read, addresses, shutdown, close', async () => {
    expect(await run(web, 'tcpEcho', at())).toEqual(
      ok({
        ready: [0],
        peeked: 'ping',
        got: 'ping',
        peer: `127.0.0.1:${echoPort}`,
        local: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
        afterShutdown: 'closed',
        eof: true,
        closed: true,
        afterClose: 'closed',
      }),
    );
  });

  it('length-prefixed frames, and a frame read that times out', async () => {
    expect(await run(web, 'tcpFrames', { ...at(), frames: ['one', 'two', 'three'] })).toEqual(
      ok({ frames: ['one', 'two', 'three'], timeout: 'timeout' }),
    );
  });

  it('socket options round-trip; a read timeout answers would-block', async () => {
    expect(await run(web, 'tcpOptions', at())).toEqual(
      ok({
        noDelay: true,
        keepAlive: 7,
        hopLimit: 17,
        linger: 0,
        reuseAddress: true,
        readTimeout: 50,
        writeTimeout: 2000,
        timedOut: 'would-block',
        cleared: { readTimeout: null, keepAlive: null },
      }),
    );
  });

  it('the connection as io streams: poll, write, read, skip, zeroes; errors name astrid:io/streams', async () => {
    expect(await run(web, 'tcpStreams', { ...at(), data: 'through streams' })).toEqual(
      ok({
        room: true,
        ready: [0],
        got: 'through streams',
        took: 2,
        skipped: 2,
        zeroes: 3,
        nothingYet: 0,
        afterShutdown: expect.objectContaining({ err: 'closed', iface: 'astrid:io/streams' }),
        inputClosed: 'closed',
        outputClosed: 'closed',
      }),
    );
  });

  it('splices one connection’s input into another’s output', async () => {
    expect(await run(web, 'tcpSplice', at())).toEqual(
      ok({ moved: 7, got: 'spliced', atEnd: null }),
    );
  });

  it('close frees the stream slot: 12 connections in a row under the 8-stream cap', async () => {
    expect(await run(web, 'tcpChurn', at())).toEqual(ok(12));
  });

  it('looks up names on the net_connect list', async () => {
    const out = await run(web, 'lookup', { host: 'localhost' });
    expect(out.ok).toContain('127.0.0.1');
  });

  it('listens on TCP, accepts, answers; accept with a timeout returns null', async () => {
    const listening = nextOnBus('probe.listening');
    const serving = run(web, 'tcpServe');
    const address = ((await listening).body as { address: string }).address;
    const port = Number(address.slice(address.lastIndexOf(':') + 1));
    const reply = await tcpExchange(port, 'shout');
    expect(reply).toBe('SHOUT');
    expect(await serving).toEqual(
      ok({ address, accepted: true, got: 'shout', none: true, afterClose: 'closed' }),
    );
  });

  it('UDP: sendTo/receiveFrom, connect/send/receive, disconnect, timeouts', async () => {
    expect(await run(web, 'udpEcho', { host: '127.0.0.1', port: udpPort })).toEqual(
      ok({
        local: true,
        sent: 5,
        first: { data: 'echo:dgram', from: `127.0.0.1:${udpPort}` },
        peer: `127.0.0.1:${udpPort}`,
        second: 'echo:two',
        afterDisconnect: null,
        sendUnconnected: 'unknown',
        quiet: true,
      }),
    );
  });

  it('the Unix listener accepts an authenticated client and exchanges frames', async () => {
    const serving = run(web, 'unixServe', { timeoutMs: 5000 });
    const { response, reply } = await unixExchange(
      h.home.path('run', 'capsules', 'probe-net.sock'),
      { token: TOKEN, protocol_version: 1, client_version: 'test' },
      'hello',
    );
    expect(response).toEqual(expect.objectContaining({ status: 'ok' }));
    expect(reply).toBe('HELLO');
    expect(await serving).toEqual(ok({ ready: [0], got: 'hello', peer: 'not-tcp' }));
  });

  it('without capabilities every entry point is refused; the airlock refuses loopback', async () => {
    expect(await run(bare, 'netErrors', at())).toEqual(
      ok({
        connect: 'capability-denied',
        lookup: 'capability-denied',
        listenTcp: 'capability-denied',
        listenUnix: 'capability-denied',
        udp: 'capability-denied',
        badPort: expect.stringMatching(/^trap:RangeError: port must be a number from 0 to 65535/),
      }),
    );
    expect(await run(strictWeb, 'tcpEcho', at())).toEqual(
      err('airlock-rejected', 'astrid:net/host'),
    );
    expect(await run(web, 'pollErrors')).toEqual(ok({ empty: 'invalid-input' }));
  });
});

describe('process', () => {
  it('run: output, exit codes, stdin, env, limits, cwd; refusals', async () => {
    const ws = h.services.workspace;
    expect(await run(proc, 'procRun')).toEqual(
      ok({
        hi: { stdout: 'hi there\n', stderr: '', code: 0, signal: null },
        failing: { stdout: 'out\n', stderr: 'err\n', code: 3, signal: null },
        piped: 'piped in',
        env: 'hello\n',
        limit: '64\n',
        cwd: `${join(ws, 'out')}\n`,
        errors: {
          denied: 'capability-denied',
          invalid: 'invalid-input',
          badLimit: expect.stringMatching(/^trap:RangeError: limits.maxPids must be/),
        },
      }),
    );
    expect(await run(bare, 'procRunAny', { cmd: 'echo', args: ['x'] })).toEqual(
      err('capability-denied', 'astrid:process/host'),
    );
  }, 30_000);

  it('spawn: output, kill, stdin, exit/printed pollables, wait timeout, signals; close frees the slot', async () => {
    expect(await run(proc, 'procSpawn')).toEqual(
      ok({
        output: { stdout: 'bg\n', stderr: '', code: 2, signal: null },
        pid: true,
        killed: { killed: true, exit: { code: null, signal: 9 }, stdout: '', stderr: '' },
        afterKill: 'closed',
        wrote: 10,
        ready: [0],
        exit: { code: 0, signal: null },
        logs: { stdout: 'round trip', stderr: '', running: false, exit: { code: 0, signal: null } },
        again: 'closed',
        firstLogs: 'printed\n',
        waitTimeout: 'wait-timeout',
        termed: { code: null, signal: 15 },
        closed: 'closed',
        denied: 'capability-denied',
      }),
    );
  }, 60_000);

  it('persistent children: start, status, list, cursors, stdin, attach, watch, wait, release, stop', async () => {
    const watched = nextOnBus('astrid.process.v1.probecat.exited');
    const out = await run(proc, 'procPersistent', {}, 'default');
    expect(out).toEqual(
      ok({
        id: expect.stringMatching(/^[a-z2-7]{52}$/),
        status: { label: 'probe-cat', phase: 'running', pid: true, stdinOpen: true },
        listed: true,
        many: [(out.ok as { id: string }).id],
        wrote: 5,
        first: { text: 'abc\nline\n', next: '0000000000000009', eof: false },
        repeat: 'abc',
        stderr: '',
        attachedLogs: { stdout: 'abc\nline\n', stderr: '', running: true, exit: null },
        exit: { code: 0, signal: null },
        drained: { stdout: '', stderr: '', running: false, exit: { code: 0, signal: null } },
        behind: { dropped: 9, eof: true },
        afterRelease: 'no-such-process',
        releaseLive: 'invalid-input',
        stopped: { code: null, signal: 9 },
        errors: { unknown: 'no-such-process', cursor: 'no-such-process', idle: 'invalid-input' },
      }),
    );
    expect((await watched).message.topic).toBe('astrid.process.v1.probecat.exited');
  }, 60_000);

  it('persistent children need an authenticated caller and allow_persistent', async () => {
    expect(await run(proc, 'procPersistStart')).toEqual(err('persist-unsupported'));
    expect(await run(bare, 'procPersistStart', {}, 'default')).toEqual(err('capability-denied'));
  });
});

describe('identity', () => {
  it('creates users, links, resolves, lists and unlinks, with the contract’s errors', async () => {
    expect(await run(people, 'identityAll')).toEqual(
      ok({
        user: expect.stringMatching(/^[0-9a-f-]{36}$/),
        resolved: { userId: true, displayName: 'Ada' },
        links: [{ platform: 'discord', platformUserId: '42', method: 'test', linkedAt: true }],
        taken: 'already-linked',
        errors: {
          resolve: 'link-not-found',
          unlink: 'link-not-found',
          notUuid: 'invalid-input',
          noUser: 'user-not-found',
        },
      }),
    );
    expect(await run(bare, 'identityResolve', { platform: 'x', id: '1' })).toEqual(
      err('capability-denied', 'astrid:identity/host'),
    );
  });
});

describe('approval', () => {
  const respond = (decision: string) => (id: string) =>
    ({ type: 'approval_response', request_id: id, decision }) as IpcPayload;

  it('asks the invoking principal and maps the decision; a session approval becomes an allowance', async () => {
    let answered = answerNext(h.bus, 'astrid.v1.approval', 'alice', respond('approve'));
    expect(await run(people, 'approve', { action: 'run', resource: 'ls' }, 'alice')).toEqual(
      ok({ decision: 'approved', approved: true }),
    );
    expect((await answered).payload).toMatchObject({
      type: 'approval_required',
      action: 'run',
      resource: 'ls',
    });
    answered = answerNext(h.bus, 'astrid.v1.approval', 'alice', respond('deny'));
    expect(await run(people, 'approve', { action: 'run', resource: 'rm' }, 'alice')).toEqual(
      ok({ decision: 'denied', approved: false }),
    );
    await answered;
    answered = answerNext(h.bus, 'astrid.v1.approval', 'alice', respond('approve_session'));
    expect(
      await run(people, 'approveAllowed', { action: 'read', resource: 'mail' }, 'alice'),
    ).toEqual(ok(true));
    await answered;
    expect(await run(people, 'approve', { action: 'read', resource: 'mail' }, 'alice')).toEqual(
      ok({ decision: 'allowance', approved: true }),
    );
  });

  it('an unanswered request times out; a bad one is invalid-input', async () => {
    expect(await run(people, 'approve', { action: 'deploy', resource: 'prod' }, 'alice')).toEqual(
      err('timeout', 'astrid:approval/host'),
    );
    expect(
      await run(people, 'approve', { action: 'x'.repeat(257), resource: 'r' }, 'alice'),
    ).toEqual(err('invalid-input'));
  });
});

describe('elicit', () => {
  const reply = (fields: Record<string, unknown>) => (id: string) =>
    ({ type: 'elicit_response', request_id: id, ...fields }) as IpcPayload;

  it('text, select, array; a dismissed question is cancelled', async () => {
    let answered = answerNext(h.bus, 'astrid.v1.elicit', 'default', reply({ value: 'Oslo' }));
    expect(
      await run(people, 'elicitText', { key: 'CITY', description: 'Which city?', default: 'Rome' }),
    ).toEqual(ok('Oslo'));
    expect((await answered).payload).toMatchObject({
      type: 'elicit_request',
      field: { key: 'CITY', prompt: 'Which city?', field_type: 'Text', default: 'Rome' },
    });
    answered = answerNext(h.bus, 'astrid.v1.elicit', 'default', reply({ value: 'K' }));
    expect(await run(people, 'elicitSelect', { key: 'UNIT', options: ['C', 'K'] })).toEqual(
      ok('K'),
    );
    await answered;
    answered = answerNext(h.bus, 'astrid.v1.elicit', 'default', reply({ value: 'F' }));
    expect(await run(people, 'elicitSelect', { key: 'UNIT', options: ['C', 'K'] })).toEqual(
      err('invalid-input', 'astrid:elicit/host'),
    );
    await answered;
    answered = answerNext(h.bus, 'astrid.v1.elicit', 'default', reply({ values: ['a', 'b'] }));
    expect(await run(people, 'elicitArray', { key: 'TAGS' })).toEqual(ok(['a', 'b']));
    await answered;
    answered = answerNext(h.bus, 'astrid.v1.elicit', 'default', reply({}));
    expect(await run(people, 'elicitText', { key: 'X' })).toEqual(err('cancelled'));
    await answered;
  });

  it('a secret goes to the secret store of the invoking principal', async () => {
    const answered = answerNext(h.bus, 'astrid.v1.elicit', 'alice', reply({ value: 'sk-secret' }));
    expect(
      await run(people, 'elicitSecret', { key: 'API_KEY', description: 'Your key' }, 'alice'),
    ).toEqual(ok('stored'));
    await answered;
    expect(await run(people, 'hasSecret', { key: 'API_KEY' }, 'alice')).toEqual(ok(true));
    expect(await run(people, 'hasSecret', { key: 'API_KEY' }, 'bob')).toEqual(ok(false));
    expect(await run(people, 'hasSecret', { key: 'a:b' })).toEqual(err('invalid-input'));
  });
});

describe('uplink', () => {
  it('registers, sends as linked users, and refuses unknown ones', async () => {
    const user = h.services.identity.createUser('alice');
    h.services.identity.link('discord', '77', user.id, 'test');
    const inbound = nextOnBus('astrid.v1.uplink.inbound');
    const out = await run(people, 'uplinkAll', { linked: '77', unlinked: '78' });
    expect(out).toEqual(
      ok({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'main',
        platform: 'discord',
        duplicate: 'invalid-input',
        sent: true,
        viaId: true,
        errors: { noSession: 'no-session', notUuid: 'invalid-input', unknown: 'unknown-uplink' },
      }),
    );
    const m = (await inbound).message;
    expect(m).toMatchObject({ principal: 'alice', claimed: true });
    expect(m.payload).toMatchObject({ type: 'user_input', text: 'hello' });
    expect(await run(bare, 'uplinkRegister')).toEqual(
      err('capability-denied', 'astrid:uplink/host'),
    );
  });
});
