import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import type { JsonObject } from '../../events/json.js';
import type { AdminBody } from '../../kernel/admin/admin-body.js';
import type { AdminMethod } from '../../kernel/admin/admin-request.js';
import { readAnswer } from '../access/kernel-answer.js';
import type { GatewayContext } from '../gateway-context.js';
import { fromKernelError } from '../http-errors.js';
import { ADMIN_VIEWS } from './admin-views.js';
import { kernelRefusal } from './kernel-refusal.js';

export interface AdminCallOptions {
  /** The target is `default` or a built-in group: a kernel `invalid-input` refusal is a 403. */
  readonly protectedTarget?: boolean;
}

/**
 * Sends one admin request to the kernel acting for `principal`, so the
 * kernel authorizes, audits and answers it; a refusal becomes the matching
 * HTTP error.
 */
export async function adminFor(
  ctx: GatewayContext,
  principal: PrincipalId,
  method: AdminMethod,
  params?: JsonObject,
  options: AdminCallOptions = {},
): Promise<AdminBody> {
  try {
    return await ctx.kernel.admin(method, params, { principal });
  } catch (e) {
    throw kernelRefusal(e, options.protectedTarget ?? false);
  }
}

/** `readAnswer`, with an unexpected answer turned into a logged 500. */
export function answerAs<T extends TSchema>(
  body: AdminBody,
  status: AdminBody['status'],
  schema: T,
): Static<T> {
  try {
    return readAnswer(body, status, schema);
  } catch (e) {
    throw fromKernelError(e);
  }
}

/** Registers the shared admin view schemas once, whichever admin route module runs first. */
export function ensureAdminViews(app: FastifyInstance): void {
  for (const view of ADMIN_VIEWS) {
    if (view.$id !== undefined && app.getSchema(view.$id) === undefined) app.addSchema(view);
  }
}
