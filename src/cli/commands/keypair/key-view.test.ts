import { describe, expect, it } from 'vitest';
import type { PrincipalId } from '../../../core/ids/principal-id.js';
import type { StoredKey } from '../../keys/keypair-store.js';
import { isoFromEpoch, keyDetailLines, keyTable, keyToJson } from './key-view.js';

const key: StoredKey = {
  name: 'laptop',
  publicKeyHex: 'ab'.repeat(32),
  meta: {
    schemaVersion: 1,
    fingerprint: '0123456789abcdef'.repeat(4),
    createdAtEpoch: 1_700_000_000,
    backend: 'file',
    note: null,
    boundPrincipal: 'alice' as PrincipalId,
  },
  paths: { seed: '/k/laptop.ed25519', pub: '/k/laptop.pub.hex', meta: '/k/laptop.meta.toml' },
};

describe('key views', () => {
  it('formats epochs as second-precision UTC', () => {
    expect(isoFromEpoch(1_700_000_000)).toBe('2023-11-14T22:13:20Z');
  });

  it('renders show lines with aligned labels and - for unset fields', () => {
    const lines = keyDetailLines(key);
    expect(lines[0]).toBe('name:            laptop');
    expect(lines).toContain('note:            -');
    expect(lines).toContain('bound principal: alice');
    expect(lines).toContain('created:         2023-11-14T22:13:20Z (unix epoch 1700000000)');
  });

  it('shortens fingerprints in the table but not in the structured form', () => {
    expect(keyTable([key]).rows).toEqual([
      ['laptop', '0123456789abcdef', 'alice', '2023-11-14T22:13:20Z', '-'],
    ]);
    expect(keyToJson(key)).toMatchObject({
      fingerprint: key.meta.fingerprint,
      public_key: key.publicKeyHex,
      bound_principal: 'alice',
      note: null,
    });
    expect(JSON.stringify(keyToJson(key))).not.toMatch(/seed"/);
  });
});
