import { caller, defineCapsule, env, fromUtf8, ipc, log, type Verdict, verdict } from '@astrid/sdk';
import { findBlocked, parseBlockedWords, unreadableBody } from './rule.js';

/** Where each refusal is reported. */
export const DENIED_TOPIC = 'guard.v1.denied';

function deny(reason: string, word: string | null): Verdict {
  const principal = caller().principal ?? null;
  try {
    ipc.publish(DENIED_TOPIC, { reason, word, principal });
  } catch (e) {
    // The refusal stands even when it cannot be reported (rate limit, …).
    log.warn(`could not report a refusal: ${e instanceof Error ? e.message : String(e)}`);
  }
  log.warn(`denied an event from ${principal ?? 'the system'}: ${reason}`);
  return verdict.deny(reason);
}

/**
 * `guard`: refuses events that contain a blocked word (`BLOCKED_WORDS`,
 * comma-separated, case-insensitive) in any string of their JSON body. It
 * runs at priority 10, so a denied event never reaches the default-priority
 * interceptors after it; clean events pass on unchanged. Each refusal is
 * published on `guard.v1.denied`.
 */
export default defineCapsule({
  interceptors: {
    guard: (event) => {
      // Fail closed: an event the guard cannot check does not pass (a guard
      // that threw would be skipped by the kernel, letting the event through).
      try {
        if (unreadableBody(event.payload, fromUtf8(event.raw)))
          return deny('the event body is not JSON the guard can read', null);
        const hit = findBlocked(event.payload, parseBlockedWords(env('BLOCKED_WORDS')));
        return hit === null ? verdict.continue() : deny(`blocked word "${hit}"`, hit);
      } catch (e) {
        return deny(
          `could not check the event: ${e instanceof Error ? e.message : String(e)}`,
          null,
        );
      }
    },
  },
});
