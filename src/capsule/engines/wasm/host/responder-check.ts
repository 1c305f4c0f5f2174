import { CapabilityCheck } from '../../../../core/capabilities/capability-check.js';
import { checkPrincipalId } from '../../../../core/ids/principal-id.js';
import type { IpcMessage } from '../../../../events/ipc-message.js';
import type { InstanceState } from './instance-state.js';

/**
 * Whether a reply may answer a question asked on behalf of the invoking
 * principal: it must come from that principal (verified, not merely claimed
 * by an uplink) and, when `capability` is given, the principal must hold it.
 */
export async function responderAllowed(
  state: InstanceState,
  reply: IpcMessage,
  capability: string | null,
): Promise<boolean> {
  const principal = state.effectivePrincipal;
  if (reply.principal === null || reply.claimed) return false;
  const checked = checkPrincipalId(reply.principal);
  if (!checked.ok || checked.value !== principal) return false;
  if (capability === null) return true;
  const profile = await state.host.profiles.resolve(principal).catch(() => null);
  return new CapabilityCheck(profile, state.host.groups(), principal).authorize(capability).allowed;
}
