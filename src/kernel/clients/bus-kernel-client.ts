import { AstridError } from '../../core/errors.js';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import { ipcEvent } from '../../events/astrid-event.js';
import type { BusTransport, RoutedSubscription } from '../../events/bus-transport.js';
import { ipcMessage } from '../../events/ipc-message.js';
import type { JsonObject } from '../../events/json.js';
import type { AdminBody } from '../admin/admin-body.js';
import type { AdminMethod } from '../admin/admin-request.js';
import { ADMIN_RESPONSE_PREFIX } from '../admin/admin-router.js';
import type { KernelBody } from '../requests/kernel-method.js';
import { RESPONSE_PREFIX } from '../requests/kernel-router.js';
import {
  ADMIN_TIMEOUT_MS,
  KERNEL_TIMEOUT_MS,
  type KernelClient,
  type KernelMethodName,
  type RequestOptions,
} from './kernel-client.js';
import { ResponseMatcher, unwrapAnswer } from './response-matcher.js';

/** The in-process client: requests go over the bus, stamped with the client's principal. */
export class BusKernelClient implements KernelClient {
  readonly principal: PrincipalId;
  private readonly bus: BusTransport;
  private readonly sourceId: string;
  private readonly matcher = new ResponseMatcher();
  private readonly subs: RoutedSubscription[];
  private readonly loops: Promise<void>[];

  constructor(bus: BusTransport, principal: PrincipalId, sourceId: string) {
    this.bus = bus;
    this.principal = principal;
    this.sourceId = sourceId;
    this.subs = [`${ADMIN_RESPONSE_PREFIX}*`, `${RESPONSE_PREFIX}*`].map((pattern) =>
      bus.subscribeRouted({
        capsuleUuid: sourceId,
        pattern,
        capsuleLabel: 'kernel',
        label: 'admin_client',
        budgetBytes: 64 * 1024 * 1024,
        maxQueueMessages: 16_384,
      }),
    );
    this.loops = this.subs.map(async (sub) => {
      while (!sub.closed)
        for (const m of await sub.recvBatch(64 * 1024 * 1024)) this.matcher.deliver(m);
    });
  }

  private send(
    topic: string,
    payload: ReturnType<ResponseMatcher['adminRequest']>['payload'],
    options: RequestOptions,
  ): void {
    if (this.bus.closed) throw new AstridError('unavailable', 'the bus is closed');
    this.bus.publish(
      ipcEvent(
        ipcMessage({
          topic,
          payload,
          sourceId: this.sourceId,
          principal: options.principal ?? this.principal,
        }),
        'admin_client',
      ),
    );
  }

  async admin(
    method: AdminMethod,
    params?: JsonObject,
    options: RequestOptions = {},
  ): Promise<AdminBody> {
    const req = this.matcher.adminRequest(method, params, options.timeoutMs ?? ADMIN_TIMEOUT_MS);
    this.send(req.topic, req.payload, options);
    return unwrapAnswer<AdminBody>(await req.answer);
  }

  async kernel(
    method: KernelMethodName,
    params?: JsonObject,
    options: RequestOptions = {},
  ): Promise<KernelBody> {
    const req = this.matcher.kernelRequest(method, params, options.timeoutMs ?? KERNEL_TIMEOUT_MS);
    this.send(req.topic, req.payload, options);
    return unwrapAnswer<KernelBody>(await req.answer);
  }

  async close(): Promise<void> {
    for (const sub of this.subs) sub.close();
    await Promise.all(this.loops);
    this.matcher.failAll(new AstridError('unavailable', 'the client was closed'));
  }
}
