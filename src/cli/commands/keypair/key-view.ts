import type { StoredKey } from '../../keys/keypair-store.js';

/** `2024-05-01T12:00:00Z` for a unix epoch in seconds. Pure. */
export function isoFromEpoch(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The structured form of a keypair (never the private seed). Pure. */
export function keyToJson(key: StoredKey): Record<string, unknown> {
  return {
    name: key.name,
    public_key: key.publicKeyHex,
    fingerprint: key.meta.fingerprint,
    created_at_epoch: key.meta.createdAtEpoch,
    backend: key.meta.backend,
    note: key.meta.note,
    bound_principal: key.meta.boundPrincipal,
    files: { private_key: key.paths.seed, public_key: key.paths.pub, meta: key.paths.meta },
  };
}

/** `label: value` lines of `keypair show`, labels padded to one column. Pure. */
export function keyDetailLines(key: StoredKey): string[] {
  const rows: [string, string][] = [
    ['name', key.name],
    ['fingerprint', key.meta.fingerprint],
    ['public key', key.publicKeyHex],
    ['created', `${isoFromEpoch(key.meta.createdAtEpoch)} (unix epoch ${key.meta.createdAtEpoch})`],
    ['backend', key.meta.backend],
    ['note', key.meta.note ?? '-'],
    ['bound principal', key.meta.boundPrincipal ?? '-'],
    ['private key', key.paths.seed],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width)} ${value}`);
}

/** Headers and rows of `keypair list` (fingerprints shortened to 16 hex digits). Pure. */
export function keyTable(keys: readonly StoredKey[]): {
  headers: string[];
  rows: string[][];
} {
  return {
    headers: ['NAME', 'FINGERPRINT', 'BOUND PRINCIPAL', 'CREATED', 'NOTE'],
    rows: keys.map((k) => [
      k.name,
      k.meta.fingerprint.slice(0, 16),
      k.meta.boundPrincipal ?? '-',
      isoFromEpoch(k.meta.createdAtEpoch),
      k.meta.note ?? '-',
    ]),
  };
}
