import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { guestTypeDeclarations } from './wit-types.js';

const SDK_WIT = fileURLToPath(new URL('../../sdk/src/wit/', import.meta.url));

describe('the SDK’s host interface declarations', () => {
  it('are exactly what jco generates from wit/ (regenerate with npm run sdk:types)', async () => {
    const generated = await guestTypeDeclarations();
    const committed = (await readdir(SDK_WIT)).filter((f) => f.endsWith('.d.ts')).sort();
    expect(committed).toEqual([...generated.keys()].sort());
    for (const [name, text] of generated) {
      expect(await readFile(`${SDK_WIT}${name}`, 'utf8'), name).toBe(text);
    }
  }, 60_000);
});
