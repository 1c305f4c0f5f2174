import type { PrincipalId } from '../../core/ids/principal-id.js';
import { authorizeRequest } from '../../kernel/requests/authorize.js';
import type { GatewayContext } from '../gateway-context.js';
import { forbidden } from '../http-errors.js';
import { callerProfile } from './caller-profile.js';

/**
 * For routes the gateway serves itself (file reads and writes in the
 * caller's scope): the kernel's own authorization rule — disabled callers
 * refused, revokes before grants before groups — or 403 with the kernel's
 * permission text.
 */
export function requireCapability(
  ctx: GatewayContext,
  principal: PrincipalId,
  capability: string,
): void {
  const auth = authorizeRequest(
    principal,
    callerProfile(ctx.state, principal, ctx.logger),
    ctx.state.groups.current(),
    capability,
  );
  if (auth.allowed) return;
  ctx.logger.warn(
    { security_event: true, principal, capability, reason: auth.reason },
    'gateway request denied',
  );
  throw forbidden(auth.reason);
}
