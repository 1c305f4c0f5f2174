import type { Static, TSchema } from '@sinclair/typebox';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import type { JsonObject } from '../../events/json.js';
import type { KernelMethodName } from '../../kernel/clients/kernel-client.js';
import type { KernelBody } from '../../kernel/requests/kernel-method.js';
import type { GatewayContext } from '../gateway-context.js';
import { fromKernelError, type HttpError } from '../http-errors.js';
import { readAnswer } from './kernel-answer.js';

/** Spec §1.6: the gateway waits 15 s for a kernel answer. */
export const GATEWAY_KERNEL_TIMEOUT_MS = 15_000;

export interface KernelCallOptions {
  readonly timeoutMs?: number;
  /** Overrides the default error mapping for one route (e.g. an install source that does not exist is bad input). */
  readonly refusal?: (e: unknown) => HttpError;
}

/**
 * Sends one kernel request acting for `principal` — the kernel authorizes,
 * rate-limits, audits and answers — and reads the answer as `schema`.
 * Refusals become the matching HTTP error.
 */
export async function kernelFor<T extends TSchema>(
  ctx: GatewayContext,
  principal: PrincipalId,
  method: KernelMethodName,
  params: JsonObject | undefined,
  expect: { readonly status: KernelBody['status']; readonly schema: T },
  options: KernelCallOptions = {},
): Promise<Static<T>> {
  let body: KernelBody;
  try {
    body = await ctx.kernel.kernel(method, params, {
      principal,
      timeoutMs: options.timeoutMs ?? GATEWAY_KERNEL_TIMEOUT_MS,
    });
  } catch (e) {
    throw (options.refusal ?? fromKernelError)(e);
  }
  try {
    return readAnswer(body, expect.status, expect.schema);
  } catch (e) {
    throw fromKernelError(e);
  }
}
