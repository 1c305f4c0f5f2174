import { readFile } from 'node:fs/promises';
import { createServer as createHttp, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { connect, type Socket } from 'node:net';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionDrain } from '../../src/gateway/http/connection-drain.js';
import { mintTestCertificate } from '../helpers/tls-cert.js';

/**
 * The shutdown sweep on real plain and TLS servers: silent connections and
 * idle kept-alive ones close; a connection with a response in flight stays
 * until that response ends.
 */

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function serve(server: Server): Promise<{ port: number; held: ServerResponse[] }> {
  const held: ServerResponse[] = [];
  server.on('request', (req, res) => {
    if (req.url === '/hold') held.push(res);
    else res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as { port: number }).port, held };
}

async function silentConnection(server: Server, port: number): Promise<Socket> {
  const accepted = new Promise((resolve) => server.once('connection', resolve));
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await accepted;
  return socket;
}

const closed = (socket: Socket) =>
  socket.destroyed ? Promise.resolve() : new Promise((r) => socket.once('close', r));

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

for (const tls of [false, true]) {
  describe(`ConnectionDrain (${tls ? 'TLS' : 'plain'})`, () => {
    it('closes silent and idle connections, keeps one with a response in flight', async () => {
      const cert = tls ? await mintTestCertificate() : null;
      const server =
        cert === null
          ? createHttp()
          : createHttps({ cert: await readFile(cert.certPath), key: await readFile(cert.keyPath) });
      const drain = new ConnectionDrain(server);
      const { port, held } = await serve(server);
      const base = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
      const agent = new Agent({
        connections: 2,
        keepAliveTimeout: 60_000,
        connect: { rejectUnauthorized: false },
      });
      cleanup.push(() => agent.destroy());

      // One kept-alive connection that served a request, one busy, one silent.
      const done = await request(`${base}/`, { dispatcher: agent });
      expect(await done.body.text()).toBe('ok');
      const busy = request(`${base}/hold`, { dispatcher: agent });
      await until(() => held.length === 1);
      const silent = await silentConnection(server, port);
      expect(drain.open).toBe(3);

      expect(drain.closeIdle()).toBe(2);
      await closed(silent);
      await until(() => drain.open === 1);

      // The held response still completes on its connection, which is then idle.
      const response = held[0] as ServerResponse;
      const finished = new Promise((resolve) => response.once('close', resolve));
      response.end('late');
      expect(await (await busy).body.text()).toBe('late');
      await finished;
      expect(drain.closeIdle()).toBe(1);
      await until(() => drain.open === 0);
    });
  });
}
