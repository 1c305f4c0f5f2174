import { AstridError, err, ok, type Result } from '../../core/errors.js';
import { checkPrincipalId, type PrincipalId } from '../../core/ids/principal-id.js';
import type { IpcMessage } from '../../events/ipc-message.js';

/**
 * Who is asking: the message's principal. A request without one is refused
 * (the socket server and the gateway stamp their connection's principal
 * before anything reaches the bus), and a malformed one is `invalid-input` —
 * never silently the administrator `default`. Pure.
 */
export function resolveCaller(message: IpcMessage): Result<PrincipalId, AstridError> {
  if (message.principal === null) {
    return err(
      new AstridError(
        'invalid-input',
        'the request carries no principal; clients stamp the principal they act for (socket and gateway connections do this for you)',
      ),
    );
  }
  const checked = checkPrincipalId(message.principal);
  if (!checked.ok)
    return err(
      new AstridError(
        'invalid-input',
        `the request's principal is invalid: ${checked.error.message}`,
      ),
    );
  return ok(checked.value);
}
