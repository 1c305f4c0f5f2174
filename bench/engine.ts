// The WASM engine: invocation latency (our pooled call vs a bare in-thread
// call of the same transpiled component vs an Extism plugin call with
// runInWorker on the same work), throughput and p99 for 1–64 concurrent
// principals, a 1,000-wide burst, run-loop recv→publish throughput, and the
// memory an idle instance costs.

import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GLUE_FILE } from '../src/capsule/engines/wasm/pipeline/artifacts/artifact-store.js';
import { transpileComponent } from '../src/capsule/engines/wasm/pipeline/transpile/transpile-component.js';
import { ipcEvent } from '../src/events/astrid-event.js';
import { ipcMessage } from '../src/events/ipc-message.js';
import { rawJson } from '../src/events/ipc-payload.js';
import { componentFromJs, componentFromWat, coreFromWat } from '../test/helpers/components.js';
import { harness } from '../test/helpers/engine-harness.js';
import {
  BENCH_CORE_WAT,
  BENCH_EXTISM_WAT,
  BENCH_WORLD,
  LOOP_JS,
  LOOP_WORLD,
  RELAY_CORE_WAT,
  RELAY_WORLD,
} from '../test/helpers/guests.js';
import { fileTempDir } from '../test/helpers/temp-dir.js';
import { median, report } from './lib/measure.js';

const N = '2000';
const payload = new TextEncoder().encode(N);
const h = await harness();
const component = await componentFromWat(BENCH_CORE_WAT, BENCH_WORLD, 'bench');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function timeSerial(
  fn: () => Promise<unknown> | unknown,
  iterations: number,
): Promise<number> {
  for (let i = 0; i < 50; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

try {
  // --- latency: ours, the floor, the peer ------------------------------------
  const engine = await h.engine('bench', component, '', { limits: { poolMax: 8, minIdle: 4 } });
  const ours = await timeSerial(() => engine.invokeInterceptor('run', payload), 2000);

  const dir = await fileTempDir();
  const plain = await transpileComponent(component);
  await mkdir(join(dir, 'plain'));
  await writeFile(join(dir, 'plain', GLUE_FILE), plain.glue);
  const mods = new Map([...plain.coreModules].map(([n, b]) => [n, new WebAssembly.Module(b)]));
  const glue = (await import(join(dir, 'plain', GLUE_FILE))) as {
    instantiate: (
      g: (n: string) => WebAssembly.Module,
      i: unknown,
      c: (m: WebAssembly.Module, i?: WebAssembly.Imports) => WebAssembly.Instance,
    ) => Record<string, (a: string, p: Uint8Array) => unknown>;
  };
  const bare = glue.instantiate(
    (n) => mods.get(n) as WebAssembly.Module,
    {},
    (m, i) => new WebAssembly.Instance(m, i),
  );
  const floor = await timeSerial(() => bare.astridHookTrigger?.('run', payload), 5000);

  const pluginPath = join(dir, 'extism-plugin.wasm');
  await writeFile(pluginPath, await coreFromWat(BENCH_EXTISM_WAT));
  const peerRun = spawnSync(
    process.execPath,
    [fileURLToPath(new URL('./peers/extism-latency.mjs', import.meta.url)), pluginPath, N, '2000'],
    {
      encoding: 'utf8',
    },
  );
  if (peerRun.status !== 0) throw new Error(`extism peer failed: ${peerRun.stderr}`);
  const peer = (JSON.parse(peerRun.stdout) as { medianMs: number }).medianMs;

  report(
    'engine_call_latency',
    ours * 1000,
    'µs',
    `pooled invokeInterceptor, ${N}-iteration WAT guest, median of 2000`,
  );
  report(
    'engine_bare_call_latency',
    floor * 1000,
    'µs',
    'same transpiled component, in-thread, no metering (floor)',
  );
  report(
    'engine_extism_call_latency',
    peer * 1000,
    'µs',
    '@extism/extism runInWorker, same loop (peer)',
  );
  report('engine_vs_extism_ratio', ours / peer, 'x', 'target ≤ 1.5');
  report('engine_vs_floor_ratio', ours / floor, 'x');

  // --- throughput and p99 for concurrent principals ---------------------------
  // Each level runs once unmeasured first, so lazy pool growth (new workers
  // instantiating) is not counted as steady-state throughput.
  for (const concurrency of [1, 4, 16, 64]) {
    await runConcurrent(concurrency, 400);
    const { seconds, latencies } = await runConcurrent(concurrency, 2000);
    report(
      `engine_throughput_c${concurrency}`,
      latencies.length / seconds,
      'calls/s',
      `${concurrency} concurrent principals, pool max 8`,
    );
    report(`engine_p99_c${concurrency}`, percentile(latencies, 99), 'ms');
  }
  async function runConcurrent(concurrency: number, total: number) {
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        const principal = `p${worker}`;
        const caller = ipcMessage({ topic: 'bench.call', payload: { type: 'connect' }, principal });
        while (next < total) {
          next++;
          const t = performance.now();
          const out = await engine.invokeInterceptor('run', payload, caller);
          if (out.kind !== 'continue') throw new Error(`unexpected ${out.kind}`);
          latencies.push(performance.now() - t);
        }
      }),
    );
    return { seconds: (performance.now() - started) / 1000, latencies };
  }

  // --- a 1,000-wide burst ------------------------------------------------------
  {
    const burst = 1000;
    const results = await Promise.allSettled(
      Array.from({ length: burst }, (_, i) =>
        engine.invokeInterceptor(
          'run',
          payload,
          ipcMessage({ topic: 'b', payload: { type: 'connect' }, principal: `burst${i}` }),
        ),
      ),
    );
    const completed = results.filter(
      (r) => r.status === 'fulfilled' && r.value.kind === 'continue',
    ).length;
    report(
      'engine_burst_completed',
      completed,
      `of ${burst}`,
      `lost ${burst - completed}; target ${burst}/${burst}`,
    );
  }

  // --- run-loop recv → publish -----------------------------------------------
  // A producer keeps `window` messages in flight from 50 principals (well
  // inside every route queue, so nothing may be dropped) and an observer
  // counts what the relay republishes.
  async function relayRate(
    engineName: string,
    guest: Uint8Array,
    extra: Parameters<typeof h.engine>[3],
    messages: number,
    runs: number,
  ) {
    const loop = await h.engine(
      engineName,
      guest,
      '[publish]\n"loop.*" = "opaque"\n[subscribe]\n"loop.*" = "opaque"\n',
      extra,
    );
    await loop.waitReady(10_000);
    const out = h.bus.subscribeRouted({
      capsuleUuid: `obs-${engineName}`,
      pattern: 'loop.out',
      capsuleLabel: 'obs',
      budgetBytes: 64 * 1024 * 1024,
    });
    const window = 1024;
    const rates: number[] = [];
    let lost = 0;
    for (let run = 0; run < runs; run++) {
      let sent = 0;
      let received = 0;
      const t = performance.now();
      while (received < messages) {
        while (sent < messages && sent - received < window) {
          h.bus.publish(
            ipcEvent(
              ipcMessage({
                topic: 'loop.in.x',
                payload: rawJson({ i: sent }),
                principal: `s${sent % 50}`,
              }),
            ),
          );
          sent++;
        }
        const batch = await out.recvBatch(64 * 1024 * 1024, 5000);
        if (batch.length === 0) break;
        received += batch.length;
      }
      rates.push(received / ((performance.now() - t) / 1000));
      lost += messages - received;
    }
    out.close();
    await loop.unload();
    return { rate: median(rates), lost };
  }
  {
    const compiled = await relayRate(
      'relay',
      await componentFromWat(RELAY_CORE_WAT, RELAY_WORLD, 'relay'),
      {},
      30_000,
      3,
    );
    report(
      'run_loop_recv_publish',
      compiled.rate,
      'msg/s',
      `canonical-ABI (compiled-style) relay, lost ${compiled.lost} of 90000; target ≥ 10000, 0 lost`,
    );
    const js = await relayRate(
      'relay-js',
      await componentFromJs(LOOP_JS, LOOP_WORLD, 'loop'),
      { config: new Map([['MODE', 'relay']]) },
      3_000,
      1,
    );
    report(
      'run_loop_recv_publish_js',
      js.rate,
      'msg/s',
      `ComponentizeJS relay, first 3000 messages, lost ${js.lost} (StarlingMonkey-bound; see README)`,
    );
  }

  // --- memory per idle instance ------------------------------------------------
  {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage().rss;
    const idle = await h.engine('idle', component, '', { limits: { poolMax: 8, minIdle: 8 } });
    await new Promise((r) => setTimeout(r, 500));
    gc?.();
    const after = process.memoryUsage().rss;
    report(
      'engine_memory_per_idle_instance',
      (after - before) / idle.instanceCount / 1e6,
      'MB',
      `${idle.instanceCount} warm workers, WAT guest (RSS delta)`,
    );
  }
} finally {
  await h.close();
}
