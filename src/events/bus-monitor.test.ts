import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../core/logger.js';
import { eventMetadata, ipcEvent } from './astrid-event.js';
import { BusMonitor, LAGGED_TOPIC, summarizeWindow, type WindowReport } from './bus-monitor.js';
import { EventBus } from './event-bus.js';
import { ipcMessage } from './ipc-message.js';

const ev = (topic: string) => ipcEvent(ipcMessage({ topic, payload: { type: 'connect' } }));

describe('summarizeWindow', () => {
  it('ranks topics by count, then name, and flags a storm at ≥ 100 events/s', () => {
    const counts = new Map([
      ['b', 300],
      ['a', 300],
      ['c', 10],
      ['d', 5],
      ['e', 4],
      ['f', 1],
    ]);
    const r = summarizeWindow(counts, 5000);
    expect(r.total).toBe(620);
    expect(r.eventsPerSec).toBe(124);
    expect(r.storm).toBe(true);
    expect(r.top).toEqual([
      ['a', 300],
      ['b', 300],
      ['c', 10],
      ['d', 5],
      ['e', 4],
    ]);
    expect(summarizeWindow(new Map([['x', 499]]), 5000).storm).toBe(false);
    expect(summarizeWindow(new Map([['x', 500]]), 5000).storm).toBe(true);
    expect(summarizeWindow(new Map(), 0).eventsPerSec).toBe(0);
  });
});

describe('BusMonitor', () => {
  it('warns naming the hottest topics when the rate is sustained, otherwise logs at debug', () => {
    let t = 0;
    const logger = recordingLogger();
    const m = new BusMonitor({ logger, now: () => t });
    for (let i = 0; i < 600; i++) m.record(ev('hot.topic'));
    for (let i = 0; i < 10; i++) m.record(ev('warm.topic'));
    m.record({ type: 'kernel_shutdown', metadata: eventMetadata(), reason: null });
    m.recordLag(3);
    t = 5000;
    const storm = m.tick();
    expect(storm.storm).toBe(true);
    const warn = logger.lines.find((l) => l.level === 'warn');
    expect(warn?.message).toContain('hot.topic=600, warm.topic=10');
    expect(warn?.message).toContain(`${LAGGED_TOPIC}=3`);
    expect(warn?.message).toContain('astrid.v1.lifecycle.kernel_shutdown=1');
    m.record(ev('quiet'));
    t = 10_000;
    expect(m.tick().storm).toBe(false);
    expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(logger.lines.some((l) => l.level === 'debug')).toBe(true);
  });

  it('counts what the bus publishes once started, and stops cleanly', async () => {
    const bus = new EventBus();
    const reports: WindowReport[] = [];
    let t = 0;
    const m = new BusMonitor({ now: () => t, windowMs: 60_000, onReport: (r) => reports.push(r) });
    m.start(bus);
    expect(bus.subscriberCount()).toBe(1);
    for (let i = 0; i < 50; i++) bus.publish(ev('busy.topic'));
    await new Promise((r) => setImmediate(r));
    t = 1000;
    const r = m.tick();
    expect(r.total).toBe(50);
    expect(r.top[0]).toEqual(['busy.topic', 50]);
    m.stop();
    expect(bus.subscriberCount()).toBe(0);
  });
});
