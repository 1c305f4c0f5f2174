// The admin API: read and write requests per second and p99 latency at 50
// concurrent callers, through the in-process (bus) client and through the
// daemon's Unix socket. Every request is authorized and audited (writes in
// the same transaction as their change, with synchronous = FULL).
import { silentLogger } from '../src/core/logger.js';
import type { KernelClient } from '../src/kernel/clients/kernel-client.js';
import { startDaemon } from '../test/helpers/daemon-process.js';
import { bootKernel } from '../test/helpers/kernel-harness.js';
import { report } from './lib/measure.js';

const CONCURRENCY = 50;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function drive(total: number, op: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await op(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { rate: total / ((performance.now() - started) / 1000), p99: percentile(latencies, 99) };
}

async function measure(label: string, client: KernelClient, reads: number, writes: number) {
  for (let i = 0; i < 20; i++) await client.admin('AgentCreate', { name: `${label}-${i}` });
  await drive(500, () => client.admin('QuotaGet', { principal: `${label}-0` }));
  const r = await drive(reads, (i) =>
    client.admin('QuotaGet', { principal: `${label}-${i % 20}` }),
  );
  report(
    `admin_read_${label}`,
    r.rate,
    'req/s',
    `QuotaGet at concurrency ${CONCURRENCY}${label === 'inprocess' ? '; target ≥ 10000' : ''}`,
  );
  report(`admin_read_p99_${label}`, r.p99, 'ms');
  const w = await drive(writes, (i) =>
    client.admin('QuotaSet', {
      principal: `${label}-${i % 20}`,
      quotas: { max_timeout_secs: 60 + (i % 100) },
    }),
  );
  report(
    `admin_write_${label}`,
    w.rate,
    'req/s',
    `QuotaSet at concurrency ${CONCURRENCY}, durable + audited${label === 'inprocess' ? '; target ≥ 1000' : ''}`,
  );
  report(`admin_write_p99_${label}`, w.p99, 'ms');
  const c = await drive(Math.min(writes, 2000), (i) =>
    client.admin('AgentCreate', { name: `${label}-new-${i}` }),
  );
  report(
    `admin_create_${label}`,
    c.rate,
    'req/s',
    'AgentCreate (profile + identity + home directory)',
  );
}

{
  const h = await bootKernel({ logger: silentLogger });
  try {
    await measure('inprocess', h.client(), 30_000, 5_000);
    const verified = h.kernel.state.audit.verify();
    report(
      'admin_audit_rows_verified',
      verified.entriesVerified,
      'rows',
      verified.valid ? 'chain valid' : 'CHAIN INVALID',
    );
  } finally {
    await h.close();
  }
}
{
  const d = await startDaemon();
  try {
    const client = await d.connect();
    await measure('socket', client, 20_000, 5_000);
    await client.close();
  } finally {
    await d.stop();
  }
}
