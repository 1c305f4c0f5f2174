import { randomUUID } from 'node:crypto';
import { AstridError, type ErrorCode, isErrorCode } from '../../core/errors.js';
import type { IpcMessage } from '../../events/ipc-message.js';
import { type IpcPayload, rawJson, rawJsonBody } from '../../events/ipc-payload.js';
import { isJsonObject, type JsonObject } from '../../events/json.js';
import type { AdminBody } from '../admin/admin-body.js';
import { ADMIN_SUFFIXES, type AdminMethod } from '../admin/admin-request.js';
import { ADMIN_PREFIX } from '../admin/admin-router.js';
import type { KernelBody } from '../requests/kernel-method.js';
import { REQUEST_PREFIX, RESPONSE_PREFIX } from '../requests/kernel-router.js';
import { KERNEL_WIRE_NAMES, type KernelMethodName } from './kernel-client.js';

interface Waiter {
  readonly resolve: (body: JsonObject) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export interface OutgoingRequest {
  readonly topic: string;
  readonly payload: IpcPayload;
  readonly answer: Promise<JsonObject>;
}

/** Turns an answer body into a value or the AstridError it reports. */
export function unwrapAnswer<T extends AdminBody | KernelBody>(body: JsonObject): T {
  if (body.status === 'Error') {
    const code: ErrorCode = isErrorCode(body.code) ? body.code : 'internal';
    throw new AstridError(
      code,
      typeof body.data === 'string' ? body.data : 'the kernel reported an error',
      { details: { origin: 'kernel' } },
    );
  }
  return { status: body.status, data: body.data ?? null } as unknown as T;
}

/**
 * Correlates requests with answers for both transports: admin answers by
 * `request_id`, kernel answers by a per-call response topic
 * (`astrid.v1.response.<wire>.<uuid>`).
 */
export class ResponseMatcher {
  private readonly admin = new Map<string, Waiter>();
  private readonly kernel = new Map<string, Waiter>();

  private wait(
    map: Map<string, Waiter>,
    key: string,
    timeoutMs: number,
    what: string,
  ): Promise<JsonObject> {
    return new Promise<JsonObject>((resolve, reject) => {
      const timer = setTimeout(() => {
        map.delete(key);
        reject(
          new AstridError(
            'timeout',
            `no answer to ${what} within ${timeoutMs / 1000} s; is the daemon running and healthy?`,
          ),
        );
      }, timeoutMs);
      timer.unref();
      map.set(key, { resolve, reject, timer });
    });
  }

  adminRequest(
    method: AdminMethod,
    params: JsonObject | undefined,
    timeoutMs: number,
  ): OutgoingRequest {
    const requestId = randomUUID();
    const body: JsonObject = {
      request_id: requestId,
      method,
      ...(params === undefined ? {} : { params }),
    };
    return {
      topic: `${ADMIN_PREFIX}${ADMIN_SUFFIXES[method]}`,
      payload: rawJson(body),
      answer: this.wait(this.admin, requestId, timeoutMs, method),
    };
  }

  kernelRequest(
    method: KernelMethodName,
    params: JsonObject | undefined,
    timeoutMs: number,
  ): OutgoingRequest {
    const suffix = `${KERNEL_WIRE_NAMES[method]}.${randomUUID().replaceAll('-', '')}`;
    return {
      topic: `${REQUEST_PREFIX}${suffix}`,
      payload: rawJson({ method, ...(params === undefined ? {} : { params }) }),
      answer: this.wait(this.kernel, `${RESPONSE_PREFIX}${suffix}`, timeoutMs, method),
    };
  }

  /** Feeds an incoming message; returns whether it answered a request. */
  deliver(message: IpcMessage): boolean {
    const body = rawJsonBody(message.payload);
    if (!isJsonObject(body)) return false;
    let waiter: Waiter | undefined;
    if (typeof body.request_id === 'string') {
      waiter = this.admin.get(body.request_id);
      if (waiter !== undefined) this.admin.delete(body.request_id);
    } else {
      waiter = this.kernel.get(message.topic);
      if (waiter !== undefined) this.kernel.delete(message.topic);
    }
    if (waiter === undefined) return false;
    clearTimeout(waiter.timer);
    waiter.resolve(body);
    return true;
  }

  /** Fails everything still waiting (the connection went away). */
  failAll(error: Error): void {
    for (const map of [this.admin, this.kernel]) {
      for (const w of map.values()) {
        clearTimeout(w.timer);
        w.reject(error);
      }
      map.clear();
    }
  }
}
