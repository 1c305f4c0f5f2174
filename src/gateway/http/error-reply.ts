import { HttpError } from '../http-errors.js';

interface FrameworkError {
  readonly code?: string;
  readonly statusCode?: number;
  readonly message: string;
  readonly validation?: unknown;
}

function frameworkError(e: unknown): FrameworkError | null {
  return e instanceof Error ? (e as FrameworkError) : null;
}

/**
 * Turns anything a handler, hook, parser or the schema validator threw into
 * the HttpError the client sees. Caller mistakes keep their message; the rest
 * is a bare 500 whose cause is logged by the error handler.
 */
export function toHttpError(e: unknown): HttpError {
  if (e instanceof HttpError) return e;
  const f = frameworkError(e);
  if (f === null) return new HttpError(500, 'internal', { cause: e });
  if (f.validation !== undefined || f.code === 'FST_ERR_VALIDATION')
    return new HttpError(400, 'bad_request', { reason: f.message });
  if (f.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new HttpError(400, 'bad_request', { reason: `body read: ${f.message}` });
  const status = f.statusCode ?? 500;
  if (status === 404) return new HttpError(404, 'not_found');
  if (status === 405) return new HttpError(405, 'method_not_allowed');
  if (status === 415) return new HttpError(415, 'unsupported_media_type', { reason: f.message });
  if (status >= 400 && status < 500)
    return new HttpError(400, 'bad_request', { reason: f.message });
  return new HttpError(500, 'internal', { cause: e });
}
