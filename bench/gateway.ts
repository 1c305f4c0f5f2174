// The HTTP gateway: authenticated admin reads (GET /api/sys/principals/:id/quotas
// through bearer verification, the in-process admin client and the kernel's
// authorization and audit) at 50 concurrent connections with autocannon,
// against a bare Fastify route on the same machine as the floor.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import Fastify from 'fastify';
import { startGateway } from '../test/helpers/gateway-harness.js';
import { report } from './lib/measure.js';

const CONNECTIONS = 50;
const DURATION_S = 10;

interface Run {
  rps: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/**
 * Runs autocannon in its own process, so the load generator does not share
 * the event loop of the server under test.
 */
function autocannon(
  url: string,
  seconds: number,
  headers: Record<string, string>,
): Promise<string> {
  const args = [AUTOCANNON, '-c', String(CONNECTIONS), '-d', String(seconds), '-j'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`autocannon exited with ${code}`)),
    );
  });
}

async function load(url: string, headers: Record<string, string> = {}): Promise<Run> {
  // A short warm-up, then the measured run.
  await autocannon(url, 2, headers);
  const r = JSON.parse(await autocannon(url, DURATION_S, headers)) as {
    requests: { average: number };
    latency: { p99: number };
    errors: number;
    timeouts: number;
    non2xx: number;
  };
  return {
    rps: r.requests.average,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

const bare = Fastify({ logger: false });
bare.get('/ping', async () => ({ ok: true }));
await bare.listen({ host: '127.0.0.1', port: 0 });
const bareAddress = bare.server.address() as { port: number };
const floor = await load(`http://127.0.0.1:${bareAddress.port}/ping`);
await bare.close();

const gw = await startGateway();
try {
  const bearer = gw.bearerFor('default');
  const read = await load(`${gw.url}/api/sys/principals/default/quotas`, {
    authorization: `Bearer ${bearer}`,
  });
  if (read.errors > 0 || read.non2xx > 0)
    throw new Error(`admin reads failed: ${read.errors} errors, ${read.non2xx} non-2xx answers`);
  report(
    'gateway admin read',
    read.rps,
    'req/s',
    `c=${CONNECTIONS}, ${DURATION_S} s, authenticated`,
  );
  report('gateway admin read p99', read.p99, 'ms', `c=${CONNECTIONS}`);
  report('bare fastify route', floor.rps, 'req/s', `c=${CONNECTIONS}, floor`);
  report('bare fastify route p99', floor.p99, 'ms', `c=${CONNECTIONS}`);
  report('gateway / floor', read.rps / floor.rps, 'x', 'throughput ratio');
} finally {
  await gw.close();
}
