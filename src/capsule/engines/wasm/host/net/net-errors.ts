import { HostError } from '../host-error.js';

/** Maps an OS socket error to the `astrid:net` error codes. Pure. */
export function mapNetError(e: unknown): HostError {
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  switch (code) {
    case 'ECONNREFUSED':
      return new HostError('connection-refused', message);
    case 'ECONNRESET':
    case 'ECONNABORTED':
    case 'EPIPE':
      return new HostError('connection-reset', message);
    case 'ETIMEDOUT':
      return new HostError('timeout', message);
    case 'EADDRINUSE':
      return new HostError('address-in-use', message);
    case 'EADDRNOTAVAIL':
    case 'EAFNOSUPPORT':
      return new HostError('address-not-available', message);
    default:
      return new HostError('unknown', message, message);
  }
}

/** Whether an error means the peer went away (reads then see the end of the stream). */
export function isPeerGone(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === 'ECONNRESET' || code === 'ECONNABORTED' || code === 'EPIPE';
}

/** An abort signal that fires after `ms` (or never, for null), merged with `signal`. */
export function timed(
  signal: AbortSignal,
  ms: number | null,
): {
  readonly signal: AbortSignal;
  readonly timedOut: () => boolean;
  readonly clear: () => void;
} {
  if (ms === null) return { signal, timedOut: () => false, clear: () => {} };
  const controller = new AbortController();
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    controller.abort(new Error(`timed out after ${ms} ms`));
  }, ms);
  timer.unref();
  return {
    signal: AbortSignal.any([signal, controller.signal]),
    timedOut: () => fired,
    clear: () => clearTimeout(timer),
  };
}

/** Host names the net host accepts: non-empty, at most 255 bytes, no NUL. */
export function checkHostName(host: string): void {
  if (host.length === 0 || Buffer.byteLength(host) > 255 || host.includes('\0')) {
    throw new HostError(
      'address-not-available',
      `host ${JSON.stringify(host.slice(0, 64))} is not a valid host name`,
    );
  }
}

/** `ip:port`, with IPv6 in brackets. Pure. */
export function formatSocketAddress(address: string | undefined, port: number | undefined): string {
  if (address === undefined || port === undefined) return '';
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
