import { type Logger, silentLogger } from '../core/logger.js';
import { type AstridEvent, eventKind } from './astrid-event.js';
import type { BroadcastSubscription, BusTransport } from './bus-transport.js';

export const MONITOR_WINDOW_MS = 5000;
/** Sustained events per second at which the monitor warns of a storm. */
export const STORM_EVENTS_PER_SEC = 100;
export const STORM_TOP_TOPICS = 5;
/** The pseudo-topic under which receiver lag is counted. */
export const LAGGED_TOPIC = '(dropped/lagged)';

export interface WindowReport {
  readonly elapsedMs: number;
  readonly total: number;
  readonly eventsPerSec: number;
  /** Hottest topics: count descending, then name ascending. */
  readonly top: ReadonlyArray<readonly [string, number]>;
  readonly storm: boolean;
}

/** Pure: turns one window's per-topic counts into a report. */
export function summarizeWindow(
  counts: ReadonlyMap<string, number>,
  elapsedMs: number,
  threshold = STORM_EVENTS_PER_SEC,
  topN = STORM_TOP_TOPICS,
): WindowReport {
  let total = 0;
  for (const n of counts.values()) total += n;
  const eventsPerSec = elapsedMs > 0 ? total / (elapsedMs / 1000) : 0;
  const top = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, topN);
  return { elapsedMs, total, eventsPerSec, top, storm: eventsPerSec >= threshold };
}

export function formatTop(top: WindowReport['top']): string {
  return top.map(([topic, n]) => `${topic}=${n}`).join(', ');
}

export interface BusMonitorOptions {
  readonly logger?: Logger;
  readonly windowMs?: number;
  readonly threshold?: number;
  readonly now?: () => number;
  /** Called with every window's report (metrics, tests). */
  readonly onReport?: (report: WindowReport) => void;
}

/**
 * Watches the bus for event storms: counts publishes per topic over fixed
 * windows and warns, naming the hottest topics, when the rate stays at or above
 * the threshold for a whole window.
 */
export class BusMonitor {
  private counts = new Map<string, number>();
  private windowStart: number;
  private readonly logger: Logger;
  private readonly windowMs: number;
  private readonly threshold: number;
  private readonly now: () => number;
  private readonly onReport: ((report: WindowReport) => void) | undefined;
  private receiver: BroadcastSubscription | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(options: BusMonitorOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.windowMs = options.windowMs ?? MONITOR_WINDOW_MS;
    this.threshold = options.threshold ?? STORM_EVENTS_PER_SEC;
    this.now = options.now ?? Date.now;
    this.onReport = options.onReport;
    this.windowStart = this.now();
  }

  record(event: AstridEvent): void {
    const topic = event.type === 'ipc' ? event.message.topic : eventKind(event);
    this.counts.set(topic, (this.counts.get(topic) ?? 0) + 1);
  }

  recordLag(missed: number): void {
    if (missed > 0) this.counts.set(LAGGED_TOPIC, (this.counts.get(LAGGED_TOPIC) ?? 0) + missed);
  }

  /** Closes the current window: logs and returns its report, and starts the next. */
  tick(): WindowReport {
    const now = this.now();
    const report = summarizeWindow(this.counts, now - this.windowStart, this.threshold);
    this.counts = new Map();
    this.windowStart = now;
    if (report.storm) {
      this.logger.warn(
        {
          events_per_sec: Math.round(report.eventsPerSec),
          total: report.total,
          top: formatTop(report.top),
        },
        `bus event storm: ${Math.round(report.eventsPerSec)} events/s; hottest topics: ${formatTop(report.top)}`,
      );
    } else if (report.total > 0) {
      this.logger.debug(
        { events_per_sec: report.eventsPerSec, total: report.total, top: formatTop(report.top) },
        'bus activity',
      );
    }
    this.onReport?.(report);
    return report;
  }

  /** Subscribes to the bus and reports every window until `stop()`. */
  start(bus: BusTransport): void {
    if (this.receiver !== null) return;
    const receiver = bus.subscribe({ label: 'bus_monitor' });
    this.receiver = receiver;
    this.windowStart = this.now();
    this.timer = setInterval(() => {
      this.recordLag(receiver.drainLagged());
      this.tick();
    }, this.windowMs);
    this.timer.unref();
    void this.consume(receiver);
  }

  /** Records every event until the receiver is closed (`stop`), which ends the wait. */
  private async consume(receiver: BroadcastSubscription): Promise<void> {
    try {
      for (;;) {
        let event = receiver.tryRecv();
        while (event !== null) {
          this.record(event);
          event = receiver.tryRecv();
        }
        this.recordLag(receiver.drainLagged());
        const next = await receiver.recv();
        if (next === null) return;
        this.record(next);
      }
    } catch (e) {
      this.logger.error({ err: e }, 'bus monitor stopped unexpectedly');
    }
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.receiver?.close();
    this.receiver = null;
  }
}
