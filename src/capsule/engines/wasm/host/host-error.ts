/**
 * A `result` error a host function returns to the guest: `tag` is the
 * interface's error-code case, `val` its payload (e.g. `unknown(string)`).
 */
export class HostError extends Error {
  readonly tag: string;
  readonly val: unknown;

  constructor(tag: string, message?: string, val?: unknown) {
    super(message ?? tag);
    this.name = 'HostError';
    this.tag = tag;
    this.val = val;
  }

  get variant(): { tag: string; val?: unknown } {
    return this.val === undefined ? { tag: this.tag } : { tag: this.tag, val: this.val };
  }
}

/** `unknown(text)`: the catch-all case every error-code variant has. */
export function unknownError(text: string): HostError {
  return new HostError('unknown', text, text);
}
