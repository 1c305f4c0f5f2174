import type { PrincipalId } from '../../core/ids/principal-id.js';
import type { Logger } from '../../core/logger.js';
import type { BusTransport, RoutedSubscription } from '../../events/bus-transport.js';
import { type ConnectionEvent, classifyConnectionMessage } from './connection-event.js';

/**
 * Counts connected clients per principal from `client.v1.connect` /
 * `client.v1.disconnect`. A disconnect below zero changes nothing; when a
 * principal's last connection closes, `onLastDisconnect` listeners run (the
 * approval layer clears that principal's session-only state there).
 */
export class ConnectionTracker {
  private readonly counts = new Map<PrincipalId, number>();
  private readonly lastDisconnect: ((principal: PrincipalId) => void)[] = [];
  private readonly logger: Logger;
  private sub: RoutedSubscription | null = null;
  private loop: Promise<void> | null = null;
  opened = 0;

  constructor(logger: Logger) {
    this.logger = logger;
  }

  onLastDisconnect(listener: (principal: PrincipalId) => void): void {
    this.lastDisconnect.push(listener);
  }

  apply(event: ConnectionEvent): void {
    const current = this.counts.get(event.principal) ?? 0;
    if (event.kind === 'opened') {
      this.counts.set(event.principal, current + 1);
      this.opened++;
      return;
    }
    if (current === 0) return;
    if (current > 1) {
      this.counts.set(event.principal, current - 1);
      return;
    }
    this.counts.delete(event.principal);
    for (const listener of this.lastDisconnect) {
      try {
        listener(event.principal);
      } catch (e) {
        this.logger.error(
          { principal: event.principal, err: (e as Error).message },
          'last-disconnect listener failed',
        );
      }
    }
  }

  total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  /** Non-zero counts, sorted by principal. */
  byPrincipal(): { principal: PrincipalId; count: number }[] {
    return [...this.counts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([principal, count]) => ({ principal, count }));
  }

  start(bus: BusTransport, sessionId: string): void {
    const sub = bus.subscribeRouted({
      capsuleUuid: sessionId,
      pattern: 'client.v1.*',
      capsuleLabel: 'kernel',
      label: 'connection_tracker',
    });
    this.sub = sub;
    this.loop = (async () => {
      while (!sub.closed) {
        for (const message of await sub.recvBatch()) {
          const event = classifyConnectionMessage(message);
          if (event !== null) this.apply(event);
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.sub?.close();
    await this.loop;
  }
}
