import type { JsonValue } from '@astrid/sdk';

/** What a message on `ticker.v1.request` asks for. */
export type Request =
  | { readonly op: 'status' }
  | { readonly op: 'crash' }
  | { readonly op: 'invalid'; readonly reason: string };

/** Reads a request body (`{"op": "status"}` or `{"op": "crash"}`). Pure. */
export function parseRequest(payload: JsonValue): Request {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
    return { op: 'invalid', reason: 'a request must be a JSON object like {"op":"status"}' };
  const op = payload.op;
  if (op === 'status' || op === 'crash') return { op };
  return {
    op: 'invalid',
    reason: `unknown op ${JSON.stringify(op ?? null)}; expected "status" or "crash"`,
  };
}

export const DEFAULT_INTERVAL_MS = 1000;
export const MIN_INTERVAL_MS = 50;
/** One `recv` waits at most 60 s, so one interval does too. */
export const MAX_INTERVAL_MS = 60_000;

/** The tick interval from `TICK_INTERVAL_MS` (a whole number of ms in range). Pure. */
export function parseInterval(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_INTERVAL_MS;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS)
    throw new Error(
      `TICK_INTERVAL_MS must be a whole number of milliseconds from ${MIN_INTERVAL_MS} to ${MAX_INTERVAL_MS}, got ${JSON.stringify(value)}`,
    );
  return ms;
}
