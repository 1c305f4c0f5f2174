import { defineCapsule, env, ipc, log, ready, time } from '@astrid/sdk';
import { parseInterval, parseRequest } from './request.js';
import { nextDeadline } from './schedule.js';

export const REQUEST_TOPIC = 'ticker.v1.request';
export const TICK_TOPIC = 'ticker.v1.tick';
export const STATUS_TOPIC = 'ticker.v1.status';

function describe(from: ipc.Attribution): string {
  return from.kind === 'system' ? 'the system' : `${from.kind} principal ${from.principal}`;
}

function monotonicMs(): number {
  return Number(time.monotonicNs() / 1_000_000n);
}

/**
 * `ticker`: a run loop. It subscribes to its requests, tells the kernel it
 * is ready, then waits on the subscription until the next tick is due —
 * publishing `ticker.v1.tick` `{n, at}` every interval and answering
 * `{"op":"status"}` with the tick count. `{"op":"crash"}` makes the loop
 * throw, so the daemon's health monitor restarts it (with backoff).
 */
export default defineCapsule({
  run: () => {
    const intervalMs = parseInterval(env('TICK_INTERVAL_MS'));
    const requests = ipc.subscribe(REQUEST_TOPIC);
    const startedAt = time.now();
    let ticks = 0;
    let due = monotonicMs() + intervalMs;
    ready();
    log.info(`ticking every ${intervalMs} ms`);
    for (;;) {
      const batch = requests.recv(Math.max(0, due - monotonicMs()));
      for (const message of batch.messages) {
        const request = parseRequest(message.payload);
        if (request.op === 'status') {
          ipc.publish(STATUS_TOPIC, {
            ticks,
            interval_ms: intervalMs,
            started_at: startedAt,
            uptime_ms: time.now() - startedAt,
          });
        } else if (request.op === 'crash') {
          // The trap loses the exception's text, so say it in the capsule log first.
          const reason = `crash requested by ${describe(message.from)} after ${ticks} ticks`;
          log.error(reason);
          throw new Error(reason);
        } else {
          log.warn(`ignored a request on ${message.topic}: ${request.reason}`);
        }
      }
      const now = monotonicMs();
      if (now >= due) {
        ticks++;
        ipc.publish(TICK_TOPIC, { n: ticks, at: time.now() });
        due = nextDeadline(due, now, intervalMs);
      }
    }
  },
});
