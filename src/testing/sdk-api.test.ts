import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type * as Sdk from '../../sdk/src/testing.js';
import { HOST_FROM_SDK, HOST_MODULE } from '../../sdk/src/testing.js';
import * as host from './index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// `@astrid/sdk/testing` declares the API itself (guest-side code cannot see
// the engine's types); this assignment is where `npm run typecheck` proves
// the host provides exactly that API.
const provided: Pick<typeof Sdk, 'loadCapsule'> = host;

async function packageJson(path: string): Promise<{
  name: string;
  exports: Record<string, { default: string } | string>;
}> {
  return JSON.parse(await readFile(join(ROOT, path), 'utf8'));
}

describe('@astrid/sdk/testing finds the host', () => {
  it('delegates to the host module the astrid package exports as ./testing', async () => {
    expect(typeof provided.loadCapsule).toBe('function');
    const astrid = await packageJson('package.json');
    const [name, subpath] = HOST_MODULE.split('/');
    expect(name).toBe(astrid.name);
    expect(astrid.exports[`./${subpath}`]).toEqual({
      types: './dist/testing/index.d.ts',
      default: './dist/testing/index.js',
    });
  });

  it('falls back to that same file relative to the SDK, built or from source', async () => {
    const sdk = await packageJson('sdk/package.json');
    const entry = sdk.exports['./testing'];
    expect(typeof entry === 'object' && entry.default).toBe('./dist/testing.js');
    const hostFile = pathToFileURL(join(ROOT, 'dist', 'testing', 'index.js')).href;
    for (const from of ['sdk/dist/testing.js', 'sdk/src/testing.ts']) {
      expect(new URL(HOST_FROM_SDK, pathToFileURL(join(ROOT, from))).href).toBe(hostFile);
    }
  });
});
