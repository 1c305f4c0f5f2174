/**
 * The manifest's network allowlists, as pure decisions.
 *
 * - `net` (HTTP): an entry is `*`, a host, or a domain whose subdomains it
 *   also covers (`example.com` covers `api.example.com`). Hosts and entries
 *   are compared case-insensitively; brackets around IPv6 literals are
 *   ignored; scheme and port do not matter.
 * - `net_connect` (TCP, DNS): `host:port` or `host:*`, split at the last
 *   `:`; the host is compared case-insensitively and literally (no
 *   wildcards, no DNS); IPv6 may be written `::1:443` or `[::1]:443`.
 * - `net_bind`: any non-empty entry grants the capsule's Unix listener;
 *   TCP and UDP binds need `*`, `tcp:<host>:<port|*>` or
 *   `udp:<host>:<port|*>`.
 */

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

export function httpHostAllowed(entries: readonly string[], host: string): boolean {
  const h = unbracket(host.toLowerCase()).replace(/\.$/, '');
  if (h.length === 0) return false;
  for (const raw of entries) {
    const e = unbracket(raw.trim().toLowerCase()).replace(/\.$/, '');
    if (e === '*') return true;
    if (e.length === 0) continue;
    if (h === e || h.endsWith(`.${e}`)) return true;
  }
  return false;
}

function hostPortMatch(entry: string, host: string, port: number): boolean {
  const colon = entry.lastIndexOf(':');
  if (colon <= 0) return false;
  const eh = unbracket(entry.slice(0, colon)).toLowerCase();
  const ep = entry.slice(colon + 1);
  if (eh !== unbracket(host).toLowerCase()) return false;
  if (ep === '*') return true;
  return /^\d{1,5}$/.test(ep) && Number(ep) === port;
}

export function netConnectAllowed(entries: readonly string[], host: string, port: number): boolean {
  return entries.some((e) => hostPortMatch(e.trim(), host, port));
}

export function unixBindAllowed(entries: readonly string[]): boolean {
  return entries.some((e) => e.trim().length > 0);
}

export function socketBindAllowed(
  entries: readonly string[],
  kind: 'tcp' | 'udp',
  host: string,
  port: number,
): boolean {
  for (const raw of entries) {
    const e = raw.trim();
    if (e === '*') return true;
    if (!e.toLowerCase().startsWith(`${kind}:`)) continue;
    if (hostPortMatch(e.slice(kind.length + 1), host, port)) return true;
  }
  return false;
}
