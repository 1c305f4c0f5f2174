import { describe, expect, it } from 'vitest';
import { allowedMethods, templateMatches } from './route-match.js';

describe('route templates', () => {
  it('matches params as one non-empty segment', () => {
    expect(templateMatches('/api/sys/principals/:id', '/api/sys/principals/alice')).toBe(true);
    expect(templateMatches('/api/sys/principals/:id', '/api/sys/principals/')).toBe(false);
    expect(templateMatches('/api/sys/principals/:id', '/api/sys/principals/a/caps')).toBe(false);
    expect(templateMatches('/healthz', '/healthz')).toBe(true);
    expect(templateMatches('/healthz', '/healthz/x')).toBe(false);
  });

  it('matches a trailing wildcard against the rest', () => {
    expect(templateMatches('/api/docs/static/*', '/api/docs/static/a/b.js')).toBe(true);
    expect(templateMatches('/api/docs/static/*', '/api/docs/other')).toBe(false);
  });

  it('lists the methods of a known path, none for an unknown one', () => {
    const routes = [
      { method: 'GET', url: '/api/sys/principals/:id' },
      { method: 'DELETE', url: '/api/sys/principals/:id' },
      { method: 'GET', url: '/healthz' },
    ];
    expect(allowedMethods(routes, '/api/sys/principals/bob')).toEqual(['DELETE', 'GET']);
    expect(allowedMethods(routes, '/nope')).toEqual([]);
  });
});
