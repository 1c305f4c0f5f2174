/** Sent on every response unless the handler already set the header (spec §1.2). */
export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'no-referrer'],
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
];

/** TLS only: two years, subdomains included. */
export const HSTS: readonly [string, string] = [
  'Strict-Transport-Security',
  'max-age=63072000; includeSubDomains',
];

/** The defaults for a response: security headers, plus HSTS when served over TLS. */
export function defaultHeaders(tls: boolean): readonly (readonly [string, string])[] {
  return tls ? [HSTS, ...SECURITY_HEADERS] : SECURITY_HEADERS;
}
