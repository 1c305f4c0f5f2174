import type { Logger } from '../../core/logger.js';
import type { AstridEvent } from '../../events/astrid-event.js';
import { AUDIT_TOPIC } from '../../events/audit-topic.js';
import type { BroadcastSubscription, BusTransport } from '../../events/bus-transport.js';
import { rawJsonBody } from '../../events/ipc-payload.js';
import { revocationFromAudit } from './revocation-event.js';
import type { RevocationStore } from './revocation-store.js';

/**
 * Follows the live audit feed and revokes the bearers of every principal the
 * kernel deletes. Besides its background loop, `sync()` applies whatever is
 * already buffered; the authenticator calls it before each revocation check,
 * so a delete the kernel has answered is in force for the very next request.
 */
export class RevocationWatcher {
  private readonly sub: BroadcastSubscription;
  private readonly store: RevocationStore;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly loop: Promise<void>;

  constructor(bus: BusTransport, store: RevocationStore, logger: Logger, now: () => number) {
    this.store = store;
    this.logger = logger;
    this.now = now;
    this.sub = bus.subscribe({ topic: AUDIT_TOPIC, label: 'revocation_watcher' });
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    for (;;) {
      const event = await this.sub.recv();
      if (event === null) return;
      this.apply(event);
    }
  }

  /** Applies every buffered audit event now, without waiting. */
  sync(): void {
    for (let event = this.sub.tryRecv(); event !== null; event = this.sub.tryRecv())
      this.apply(event);
  }

  private apply(event: AstridEvent): void {
    const missed = this.sub.drainLagged();
    if (missed > 0)
      this.logger.error(
        { security_event: true, missed },
        'revocation watcher fell behind the audit feed; deletions may have been missed',
      );
    if (event.type !== 'ipc') return;
    const decision = revocationFromAudit(rawJsonBody(event.message.payload), this.now());
    if (decision !== null) this.store.revoke(decision.principal, decision.epoch);
  }

  async stop(): Promise<void> {
    this.sub.close();
    await this.loop;
  }
}
