export const CORS_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
export const CORS_HEADERS = 'authorization, content-type, accept';
export const CORS_MAX_AGE_SECS = 3600;

export interface CorsRequest {
  readonly method: string;
  readonly origin: string | undefined;
  readonly requestMethod: string | undefined;
}

export interface CorsDecision {
  /** Headers to add to the response. */
  readonly headers: readonly (readonly [string, string])[];
  /** A preflight this layer answers itself (200, empty body) before routing. */
  readonly preflight: boolean;
}

/**
 * The CORS layer (spec §1.2), present only with a non-empty allow-list:
 * an exactly listed origin is echoed (never `*`, never credentials); any
 * other origin gets no `Access-Control-Allow-Origin`. `Vary: origin` goes
 * on every response the layer sees, since the answer depends on it.
 */
export function corsDecision(allow: ReadonlySet<string>, req: CorsRequest): CorsDecision | null {
  if (allow.size === 0) return null;
  const headers: [string, string][] = [['Vary', 'origin']];
  const listed = req.origin !== undefined && allow.has(req.origin);
  if (listed) headers.push(['Access-Control-Allow-Origin', req.origin as string]);
  const preflight =
    req.method === 'OPTIONS' && req.origin !== undefined && req.requestMethod !== undefined;
  if (preflight && listed) {
    headers.push(
      ['Access-Control-Allow-Methods', CORS_METHODS],
      ['Access-Control-Allow-Headers', CORS_HEADERS],
      ['Access-Control-Max-Age', String(CORS_MAX_AGE_SECS)],
    );
  }
  return { headers, preflight };
}
