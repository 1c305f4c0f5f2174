/**
 * Checks one `cors-allow-origins` entry (spec §1.1): an http(s) URL with a
 * host, no userinfo, no path, query or fragment, no trailing `/`, written
 * exactly as its ASCII origin serialization (so raw IDNs, upper case and
 * default ports are refused — browsers send the serialized form, and an
 * exact-match list must hold that form). Returns the problem, or null.
 */
export function corsOriginProblem(origin: string): string | null {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return 'is not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `has scheme ${JSON.stringify(url.protocol.slice(0, -1))}; only http and https are allowed`;
  if (url.hostname === '') return 'has no host';
  if (url.username !== '' || url.password !== '') return 'must not contain user info';
  if (url.search !== '' || url.hash !== '' || origin.includes('?') || origin.includes('#'))
    return 'must not have a query or fragment';
  if (url.pathname !== '/' && url.pathname !== '') return 'must not have a path';
  if (origin.endsWith('/')) return "must not end with '/'";
  if (url.origin !== origin) {
    const idn = url.hostname.split('.').some((label) => label.startsWith('xn--'));
    return idn
      ? `must be written in its ASCII (punycode) form: ${JSON.stringify(url.origin)} (xn--)`
      : `must be written exactly as the origin a browser sends: ${JSON.stringify(url.origin)}`;
  }
  return null;
}
