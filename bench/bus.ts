// Event bus: publish→drain throughput (1 route; 1, 100 and 5,000 active
// principals) against a plain EventEmitter floor, DRR fairness under a 100×
// skew, and the memory an idle subscription / a drained principal costs.
import { EventEmitter } from 'node:events';
import { type AstridEvent, ipcEvent } from '../src/events/astrid-event.js';
import { EventBus } from '../src/events/event-bus.js';
import { type IpcMessage, ipcMessage } from '../src/events/ipc-message.js';
import { rawJson } from '../src/events/ipc-payload.js';
import { median, report } from './lib/measure.js';

const TOPIC = 'agent.v1.tool.result';
const BATCH = 256;
const RUNS = 7;

function makeMessage(i: number, principal: string): IpcMessage {
  return ipcMessage({ topic: TOPIC, payload: rawJson({ n: i, ok: true }), principal });
}

/** Median msg/s of publishing `total` messages and draining them in batches through one route. */
function busThroughput(principals: number, total: number): number {
  const keys = Array.from({ length: principals }, (_, i) => `p${i}`);
  const rates: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const bus = new EventBus();
    const route = bus.subscribeRouted({
      capsuleUuid: 'c',
      pattern: 'agent.v1.*',
      capsuleLabel: 'bench',
    });
    let delivered = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < total; i++) {
      bus.publish(ipcEvent(makeMessage(i, keys[i % principals] as string)));
      if ((i + 1) % BATCH === 0) delivered += route.tryDrain().length;
    }
    delivered += route.tryDrain().length;
    const ns = Number(process.hrtime.bigint() - start);
    if (delivered !== total) throw new Error(`lost messages: ${delivered}/${total}`);
    if (run > 0) rates.push(total / (ns / 1e9));
    bus.close();
  }
  return median(rates);
}

/** The same workload over an EventEmitter: one listener pushing into an array, drained per batch. */
function emitterThroughput(total: number): number {
  const rates: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const emitter = new EventEmitter();
    let queue: AstridEvent[] = [];
    emitter.on(TOPIC, (e: AstridEvent) => queue.push(e));
    let delivered = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < total; i++) {
      emitter.emit(TOPIC, ipcEvent(makeMessage(i, 'p0')));
      if ((i + 1) % BATCH === 0) {
        delivered += queue.length;
        queue = [];
      }
    }
    delivered += queue.length;
    const ns = Number(process.hrtime.bigint() - start);
    if (delivered !== total) throw new Error('emitter lost messages');
    if (run > 0) rates.push(total / (ns / 1e9));
  }
  return median(rates);
}

const total = 200_000;
const single = busThroughput(1, total);
const hundred = busThroughput(100, total);
const many = busThroughput(5000, total);
const floor = emitterThroughput(total);
report(
  'bus_route_throughput_1_principal',
  single,
  'msg/s',
  `publish→drain, batches of ${BATCH}, target ≥ 500000`,
);
report('bus_route_throughput_100_principals', hundred, 'msg/s');
report('bus_route_throughput_5000_principals', many, 'msg/s');
report('eventemitter_floor_throughput', floor, 'msg/s', 'same workload, no fairness, no budget');
report('bus_vs_eventemitter_ratio', single / floor, 'x', '1 principal');

// Fairness: 1,000 principals; principal 0 publishes 100× what each of the other
// 999 publishes; the consumer drains half of what arrives, so every queue stays
// backlogged and DRR decides who is served.
function jainUnderSkew(): number {
  const bus = new EventBus();
  const route = bus.subscribeRouted({
    capsuleUuid: 'c',
    pattern: 'agent.v1.*',
    capsuleLabel: 'bench',
  });
  const principals = 1000;
  const delivered = new Float64Array(principals);
  const msg = (p: number, i: number) =>
    ipcMessage({ topic: TOPIC, payload: rawJson({ pad: 'x'.repeat(200), i }), principal: `p${p}` });
  let offeredBytes = 0;
  for (let tick = 0; tick < 60; tick++) {
    let tickBytes = 0;
    for (let p = 0; p < principals; p++) {
      const count = p === 0 ? 200 : 2;
      for (let i = 0; i < count; i++) {
        const m = msg(p, i);
        bus.publish(ipcEvent(m));
        tickBytes += 230;
      }
    }
    offeredBytes += tickBytes;
    for (const m of route.tryDrain(Math.floor(tickBytes / 2))) {
      const index = Number((m.principal as string).slice(1));
      delivered[index] = (delivered[index] ?? 0) + 1;
    }
  }
  let sum = 0;
  let sumSq = 0;
  for (const d of delivered) {
    sum += d;
    sumSq += d * d;
  }
  if (offeredBytes === 0) throw new Error('nothing offered');
  return (sum * sum) / (principals * sumSq);
}
report(
  'bus_jain_fairness_skewed',
  jainUnderSkew(),
  '',
  '1 principal at 100× of 999 others, all backlogged; target ≥ 0.99',
);

// Memory.
const gc = (globalThis as { gc?: () => void }).gc;
function heapAfterGc(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}
{
  const bus = new EventBus();
  const subs = [];
  const n = 20_000;
  const before = heapAfterGc();
  for (let i = 0; i < n; i++) {
    subs.push(
      bus.subscribeRouted({ capsuleUuid: `c${i}`, pattern: 'x.y.*', capsuleLabel: 'bench' }),
    );
  }
  const after = heapAfterGc();
  report(
    'bus_idle_subscription_memory',
    (after - before) / n,
    'bytes/subscription',
    `${n} routes, gc=${gc !== undefined}`,
  );
  if (subs.length !== n) throw new Error('unreachable');
}
{
  // 5,000 principals queue one message each, then drain. Repeated so one-time
  // costs (code, hidden classes) are out of the figure; the last round counts.
  const bus = new EventBus();
  const route = bus.subscribeRouted({
    capsuleUuid: 'c',
    pattern: 'agent.v1.*',
    capsuleLabel: 'bench',
  });
  const refillRing = () => {
    // Keep the broadcast ring's fixed 1,024-event window identical in every measurement.
    for (let i = 0; i < 1024; i++) bus.publish(ipcEvent(makeMessage(i, 'warmup')));
    route.tryDrain();
  };
  let queuedPer = 0;
  let idlePer = 0;
  let queues = -1;
  for (let round = 0; round < 4; round++) {
    refillRing();
    const baseline = heapAfterGc();
    for (let p = 0; p < 5000; p++) bus.publish(ipcEvent(makeMessage(p, `p${p}`)));
    const busy = heapAfterGc();
    if (route.tryDrain().length !== 5000) throw new Error('lost messages');
    queues = route.allocatedQueues();
    refillRing();
    const idle = heapAfterGc();
    queuedPer = (busy - baseline) / 5000;
    idlePer = (idle - baseline) / 5000;
  }
  report('bus_route_queues_after_drain', queues, 'queues', '5000 principals drained');
  report('bus_route_memory_5000_queued', queuedPer, 'bytes/principal', 'one message each, queued');
  report(
    'bus_route_memory_after_drain',
    Math.max(0, idlePer),
    'bytes/principal',
    'nothing queued; target 0',
  );
}
