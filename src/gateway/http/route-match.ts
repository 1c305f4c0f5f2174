/** One registered route: its method and path template (`/api/sys/principals/:id`). */
export interface RouteEntry {
  readonly method: string;
  readonly url: string;
}

/** Whether a concrete path fits a template: `:param` matches one segment, a trailing `*` the rest. */
export function templateMatches(template: string, path: string): boolean {
  const t = template.split('/');
  const p = path.split('/');
  for (let i = 0; i < t.length; i++) {
    const seg = t[i] as string;
    if (seg === '*' && i === t.length - 1) return p.length >= t.length - 1;
    const actual = p[i];
    if (actual === undefined) return false;
    if (seg.startsWith(':')) {
      if (actual.length === 0) return false;
    } else if (seg !== actual) return false;
  }
  return t.length === p.length;
}

/** The methods registered for a path, sorted; empty when the path is unknown (→ 404, else 405). */
export function allowedMethods(routes: readonly RouteEntry[], path: string): string[] {
  const methods = new Set<string>();
  for (const r of routes) if (templateMatches(r.url, path)) methods.add(r.method);
  return [...methods].sort();
}
