import type { Logger } from '../../core/logger.js';
import { IdleClock, type IdlePlan } from './idle-policy.js';

/**
 * Shuts an unused daemon down: idle means no connected clients and no
 * loaded uplink capsule; the idle clock resets on any activity.
 */
export class IdleMonitor {
  private timer: NodeJS.Timeout | null = null;
  private graceTimer: NodeJS.Timeout | null = null;

  start(plan: IdlePlan, isIdle: () => boolean, onIdle: () => void, logger: Logger): void {
    const clock = new IdleClock(plan.timeoutMs);
    this.graceTimer = setTimeout(() => {
      this.timer = setInterval(() => {
        if (clock.observe(isIdle(), Date.now())) {
          this.stop();
          logger.info(
            { timeout_ms: plan.timeoutMs },
            'no clients for the idle timeout; shutting down',
          );
          onIdle();
        }
      }, plan.pollMs);
      this.timer.unref();
    }, plan.graceMs);
    this.graceTimer.unref();
  }

  stop(): void {
    if (this.graceTimer !== null) clearTimeout(this.graceTimer);
    if (this.timer !== null) clearInterval(this.timer);
    this.graceTimer = null;
    this.timer = null;
  }
}
