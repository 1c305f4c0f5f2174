/**
 * A host function refused a call. `code` is the contract's error-code tag
 * (`capability-denied`, `not-found`, `timeout`, …) and `detail` the host's
 * message when the variant carries one.
 */
export class HostError extends Error {
  readonly code: string;
  readonly detail: string | undefined;
  /** The interface that refused, e.g. `astrid:kv/host`. */
  readonly iface: string;

  constructor(iface: string, code: string, detail?: string) {
    super(detail === undefined ? `${iface}: ${code}` : `${iface}: ${code}: ${detail}`);
    this.name = 'HostError';
    this.iface = iface;
    this.code = code;
    this.detail = detail;
  }
}

interface Variant {
  readonly tag: string;
  readonly val?: unknown;
}

function isVariant(value: unknown): value is Variant {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { tag?: unknown }).tag === 'string'
  );
}

/**
 * Turns what a host import threw into a `HostError`: the component glue
 * throws an error whose `payload` is the `error-code` variant. Anything else
 * (a trap, a bug in the capsule) is rethrown unchanged.
 */
export function toHostError(iface: string, thrown: unknown): unknown {
  const payload = (thrown as { payload?: unknown } | null)?.payload;
  if (!isVariant(payload)) return thrown;
  const detail =
    typeof payload.val === 'string'
      ? payload.val
      : payload.val === undefined
        ? undefined
        : JSON.stringify(payload.val);
  return new HostError(iface, payload.tag, detail);
}

/** Calls a host import, converting its error variant into a `HostError`. */
export function host<T>(iface: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw toHostError(iface, e);
  }
}

/** Whether `e` is a `HostError` with the given code. */
export function isHostError(e: unknown, code?: string): e is HostError {
  return e instanceof HostError && (code === undefined || e.code === code);
}
