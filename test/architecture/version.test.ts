import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ASTRID_VERSION } from '../../src/core/version.js';

describe('runtime version', () => {
  it('matches package.json', () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(ASTRID_VERSION).toBe(pkg.version);
  });
});
