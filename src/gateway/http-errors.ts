import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { isAstridError } from '../core/errors.js';

/** Every error tag the gateway sends (spec §1.3 plus the router's 405/415). */
export type ErrorTag =
  | 'unauthorized'
  | 'forbidden'
  | 'bad_request'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'kernel'
  | 'internal';

/** The JSON body of every gateway error: `{"error", "reason"?, "retry_after_secs"?}`. */
export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: 'Stable error tag, e.g. `forbidden`.' }),
    reason: Type.Optional(Type.String({ description: 'Human-readable detail.' })),
    retry_after_secs: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Seconds to wait before retrying (429).' }),
    ),
  },
  { title: 'ErrorBody', additionalProperties: false },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** The id under which the server registers ErrorBody as a shared schema (an OpenAPI component). */
export const ERROR_BODY_ID = 'ErrorBody';

/** A reference to the shared ErrorBody; use it (or `errorResponses`) in route response schemas. */
export const ErrorBodyRef = Type.Ref(ERROR_BODY_ID);

/**
 * Response schemas for the given error statuses, to spread into a route's
 * `schema.response`: `response: { 200: Ok, ...errorResponses(400, 401, 403) }`.
 */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const s of statuses) out[s] = ErrorBodyRef;
  return out;
}

/** A failure with its HTTP status and JSON error body; thrown by handlers, rendered by the error handler. */
export class HttpError extends Error {
  readonly status: number;
  readonly tag: ErrorTag;
  readonly reason: string | undefined;
  readonly retryAfterSecs: number | undefined;

  constructor(
    status: number,
    tag: ErrorTag,
    options: { reason?: string; retryAfterSecs?: number; cause?: unknown } = {},
  ) {
    super(
      options.reason ?? tag,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'HttpError';
    this.status = status;
    this.tag = tag;
    this.reason = options.reason;
    this.retryAfterSecs = options.retryAfterSecs;
  }

  body(): ErrorBody {
    return {
      error: this.tag,
      ...(this.reason === undefined ? {} : { reason: this.reason }),
      ...(this.retryAfterSecs === undefined ? {} : { retry_after_secs: this.retryAfterSecs }),
    };
  }
}

export function badRequest(reason: string): HttpError {
  return new HttpError(400, 'bad_request', { reason });
}

export function unauthorized(): HttpError {
  return new HttpError(401, 'unauthorized');
}

export function forbidden(reason: string): HttpError {
  return new HttpError(403, 'forbidden', { reason });
}

export function notFound(): HttpError {
  return new HttpError(404, 'not_found');
}

export function conflict(reason: string): HttpError {
  return new HttpError(409, 'conflict', { reason });
}

export function rateLimited(retryAfterSecs: number): HttpError {
  return new HttpError(429, 'rate_limited', {
    retryAfterSecs: Math.max(1, Math.ceil(retryAfterSecs)),
  });
}

/** 502: the kernel refused a request whose failure is the caller's credential (redeem routes). */
export function kernelRejected(reason: string): HttpError {
  return new HttpError(502, 'kernel', { reason });
}

/** 500: the detail goes to the log (via `cause`), never to the client. */
export function internal(cause?: unknown): HttpError {
  return new HttpError(500, 'internal', cause === undefined ? {} : { cause });
}

/**
 * Maps a kernel client failure to the HTTP error the caller sees. Kernel
 * messages are shown for caller mistakes (400/403/409); infrastructure
 * failures (unavailable, timeout, internal, anything unknown) become a bare
 * 500 whose detail is logged through `cause`.
 */
export function fromKernelError(e: unknown): HttpError {
  if (e instanceof HttpError) return e;
  if (!isAstridError(e)) return internal(e);
  switch (e.code) {
    case 'capability-denied':
    case 'quota-exceeded':
      return forbidden(e.message);
    case 'invalid-input':
    case 'too-large':
    case 'config':
      return badRequest(e.message);
    case 'not-found':
      return notFound();
    case 'already-exists':
    case 'conflict':
      return conflict(e.message);
    case 'rate-limited': {
      const hinted = e.details?.retry_after_secs;
      return rateLimited(typeof hinted === 'number' && hinted > 0 ? hinted : 60);
    }
    default:
      return internal(e);
  }
}
