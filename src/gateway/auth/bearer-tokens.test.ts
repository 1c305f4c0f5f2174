import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import { b64urlEncode } from './base64url.js';
import { BearerTokens } from './bearer-tokens.js';
import { GATEWAY_KEY_FILE, loadOrCreateSigningSeed } from './signing-key.js';

const alice = 'alice' as PrincipalId;

describe('BearerTokens', () => {
  let now = 1_700_000_000;
  const clock = () => now;
  const tokens = new BearerTokens(randomBytes(32), 3600, clock);

  it('mints a token that verifies to its claims', () => {
    const minted = tokens.mint(alice);
    expect(minted.exp).toBe(minted.iat + 3600);
    expect(tokens.verify(minted.token)).toEqual({ principal: 'alice', iat: now, exp: now + 3600 });
  });

  it('refuses a flipped signature character, a swapped principal and another key', () => {
    const { token } = tokens.mint(alice);
    const last = token.at(-1) === '0' ? '1' : '0';
    expect(tokens.verify(`${token.slice(0, -1)}${last}`)).toBeNull();
    const parts = token.split('.');
    parts[0] = b64urlEncode('bob');
    expect(tokens.verify(parts.join('.'))).toBeNull();
    const other = new BearerTokens(randomBytes(32), 3600, clock);
    expect(other.verify(token)).toBeNull();
  });

  it('remembers a verified signature but re-checks expiry on every use', () => {
    const start = now;
    const { token } = tokens.mint(alice, 10);
    expect(tokens.verify(token)?.principal).toBe('alice');
    expect(tokens.verify(token)?.principal).toBe('alice');
    now = start + 11;
    expect(tokens.verify(token)).toBeNull();
    now = start;
    // A forged variant of a remembered token is still refused.
    expect(tokens.verify(`${token.slice(0, -1)}${token.at(-1) === '0' ? '1' : '0'}`)).toBeNull();
  });

  it('refuses an expired token and a lifetime-0 token', () => {
    const { token } = tokens.mint(alice);
    expect(tokens.mint(alice, 0).token).toBeTruthy();
    expect(tokens.verify(tokens.mint(alice, 0).token)).toBeNull();
    now += 3600;
    expect(tokens.verify(token)).toBeNull();
  });
});

describe('gateway signing key', () => {
  it('is created 0600 with 32 bytes and reused on the next load', async () => {
    const dir = join(await tempDir(), 'keys');
    const seed = await loadOrCreateSigningSeed(dir);
    const path = join(dir, GATEWAY_KEY_FILE);
    expect(seed).toHaveLength(32);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readFile(path)).equals(seed)).toBe(true);
    expect((await loadOrCreateSigningSeed(dir)).equals(seed)).toBe(true);
    const a = await BearerTokens.load(dir, 60, () => 1000);
    const b = await BearerTokens.load(dir, 60, () => 1000);
    expect(b.verify(a.mint(alice).token)?.principal).toBe('alice');
  });

  it('refuses a key of the wrong length and says to delete it', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, GATEWAY_KEY_FILE), randomBytes(31), { mode: 0o600 });
    await expect(loadOrCreateSigningSeed(dir)).rejects.toMatchObject({
      code: 'config',
      message: expect.stringMatching(/exactly 32 bytes \(found 31\); delete it/),
    });
  });
});
