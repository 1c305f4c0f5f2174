import { AstridError } from '../../core/errors.js';
import { DEFAULT_PRINCIPAL, type PrincipalId } from '../../core/ids/principal-id.js';
import { encodePayload } from '../../events/ipc-payload.js';
import type { JsonObject } from '../../events/json.js';
import type { AdminBody } from '../admin/admin-body.js';
import type { AdminMethod } from '../admin/admin-request.js';
import type { KernelBody } from '../requests/kernel-method.js';
import {
  ADMIN_TIMEOUT_MS,
  KERNEL_TIMEOUT_MS,
  type KernelClient,
  type KernelMethodName,
  type RequestOptions,
} from './kernel-client.js';
import { ResponseMatcher, unwrapAnswer } from './response-matcher.js';
import { type ConnectOptions, SocketConnection } from './socket-connection.js';

/** The out-of-process client: requests go over the daemon's Unix socket. */
export class SocketKernelClient implements KernelClient {
  readonly principal: PrincipalId;
  private readonly conn: SocketConnection;
  private readonly matcher = new ResponseMatcher();

  private constructor(conn: SocketConnection, principal: PrincipalId) {
    this.conn = conn;
    this.principal = principal;
    conn.onMessage((m) => this.matcher.deliver(m));
    conn.onClose((reason) => this.matcher.failAll(new AstridError('unavailable', reason)));
  }

  static async connect(options: ConnectOptions): Promise<SocketKernelClient> {
    const conn = await SocketConnection.connect(options);
    return new SocketKernelClient(conn, options.principal ?? DEFAULT_PRINCIPAL);
  }

  get serverVersion(): string {
    return this.conn.serverVersion;
  }

  private send(
    topic: string,
    payload: Parameters<typeof encodePayload>[0],
    options: RequestOptions,
  ): void {
    this.conn.send({
      topic,
      payload: encodePayload(payload),
      ...(options.principal === undefined ? {} : { principal: options.principal }),
    });
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
    await this.conn.close();
    this.matcher.failAll(new AstridError('unavailable', 'the client was closed'));
  }
}
