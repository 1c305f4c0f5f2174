import { checkPrincipalId, type PrincipalId } from '../../../core/ids/principal-id.js';

/** A principal named on the command line; an invalid one is refused before the daemon is asked. */
export function principalArg(name: string): PrincipalId {
  const checked = checkPrincipalId(name);
  if (!checked.ok) throw checked.error;
  return checked.value;
}
