import { isAstridError } from '../../core/errors.js';
import { forbidden, fromKernelError, type HttpError } from '../http-errors.js';

/**
 * The HTTP error for a kernel refusal. Requests aimed at a protected target
 * — the `default` principal (delete, disable, revoke) or a built-in group
 * (modify, delete) — are well-formed requests the kernel will never carry
 * out, so its `invalid-input` refusal becomes 403 with the kernel's reason
 * rather than 400. Everything else maps through `fromKernelError`. Pure.
 */
export function kernelRefusal(e: unknown, protectedTarget: boolean): HttpError {
  if (protectedTarget && isAstridError(e, 'invalid-input')) return forbidden(e.message);
  return fromKernelError(e);
}
