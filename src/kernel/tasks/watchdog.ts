import { randomUUID } from 'node:crypto';
import { ipcEvent } from '../../events/astrid-event.js';
import type { BusTransport } from '../../events/bus-transport.js';
import { ipcMessage } from '../../events/ipc-message.js';

export const WATCHDOG_TOPIC = 'astrid.v1.watchdog.tick';
export const WATCHDOG_INTERVAL_MS = 5000;

/** Publishes `astrid.v1.watchdog.tick` every 5 s (the agent loop uses it to notice stalled turns). */
export class Watchdog {
  private timer: NodeJS.Timeout | null = null;

  start(bus: BusTransport, intervalMs = WATCHDOG_INTERVAL_MS): void {
    this.timer = setInterval(() => {
      if (bus.closed) return;
      bus.publish(
        ipcEvent(
          ipcMessage({
            topic: WATCHDOG_TOPIC,
            payload: { type: 'custom', data: {} },
            sourceId: randomUUID(),
          }),
          'watchdog',
        ),
      );
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
