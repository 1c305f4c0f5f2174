import { badRequest } from '../http-errors.js';

/** Request bodies above this are refused with 400 `body read: …`. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Keys that could reach an object's prototype if a handler ever merged the body into another object. */
function poisonedKey(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = poisonedKey(item);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (key === '__proto__') return key;
    if (
      key === 'constructor' &&
      typeof inner === 'object' &&
      inner !== null &&
      'prototype' in inner
    )
      return 'constructor.prototype';
    const found = poisonedKey(inner);
    if (found !== null) return found;
  }
  return null;
}

/**
 * Parses any request body as JSON, whatever its Content-Type (spec §1.3):
 * an empty body is "no body", anything unparseable is 400 `invalid JSON: …`.
 * Like Fastify's own parser, it refuses prototype-poisoning keys.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw badRequest(`invalid JSON: ${(e as Error).message}`);
  }
  if (text.includes('__proto__') || text.includes('constructor')) {
    const key = poisonedKey(value);
    if (key !== null) throw badRequest(`invalid JSON: forbidden key ${JSON.stringify(key)}`);
  }
  return value;
}
