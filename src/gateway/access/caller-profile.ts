import type { PrincipalId } from '../../core/ids/principal-id.js';
import type { Logger } from '../../core/logger.js';
import type { Profile } from '../../core/profiles/profile.js';
import type { KernelState } from '../../kernel/state/kernel-state.js';

/**
 * The caller's profile as the kernel sees it (through its profile cache), or
 * null when it cannot be read — every capability check then denies.
 */
export function callerProfile(
  state: KernelState,
  principal: PrincipalId,
  logger: Logger,
): Profile | null {
  try {
    return state.profileCache.resolveSync(principal);
  } catch (e) {
    logger.warn(
      { security_event: true, principal, err: (e as Error).message },
      'caller profile unreadable; denying',
    );
    return null;
  }
}
