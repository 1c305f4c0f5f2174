import type { PrincipalId } from '../../core/ids/principal-id.js';
import type { Json } from '../../events/json.js';

/** Response variants of kernel requests (`{status, data}`). */
export type KernelBodyStatus = 'Success' | 'Commands' | 'CapsuleMetadata' | 'Status' | 'Error';

export interface KernelBody {
  readonly status: Exclude<KernelBodyStatus, 'Error'>;
  readonly data: Json;
}

/** One `astrid.v1.request.*` method the kernel router serves. */
export interface KernelMethod {
  /** PascalCase variant name (`GetStatus`), also the audit method. */
  readonly name: string;
  /** Required capability (kernel requests are always self-scoped). */
  readonly capability: string;
  /** Requests per sliding minute across all callers; null = unlimited. */
  readonly ratePerMinute: number | null;
  /** Whether it changes state (its audit row is written before the answer). */
  readonly mutating: boolean;
  handle(params: Json | undefined, caller: PrincipalId): KernelBody | Promise<KernelBody>;
  /** Runs after the answer was published (e.g. raising the shutdown signal). */
  after?(): void;
}
