import type { CapsuleId } from '../../core/ids/capsule-id.js';
import { dispatchMatches } from '../../core/topics/dispatch-matcher.js';

export interface InterceptorTarget {
  readonly capsuleId: CapsuleId;
  readonly bootIndex: number;
  readonly action: string;
  readonly priority: number;
  /** The `[subscribe]` key the handler is bound to (dispatch matcher: same depth, `*` = one segment). */
  readonly pattern: string;
}

/**
 * The interceptors that fire for a topic, in chain order: priority ascending,
 * then boot order, then handler name — deterministic, unlike the
 * reference's unspecified tie order. Pure.
 */
export function matchInterceptors(
  targets: readonly InterceptorTarget[],
  topic: string,
): InterceptorTarget[] {
  return targets
    .filter((t) => dispatchMatches(topic, t.pattern))
    .sort(
      (a, b) =>
        a.priority - b.priority ||
        a.bootIndex - b.bootIndex ||
        (a.action < b.action ? -1 : a.action > b.action ? 1 : 0),
    );
}
