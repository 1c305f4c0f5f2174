/**
 * Normalises an ed25519 public key to `ed25519:<64 lowercase hex>`: an
 * optional `ed25519:` prefix, surrounding whitespace and hex case are
 * accepted. Null when it is not a 32-byte hex key.
 */
export function normalizePublicKey(input: string): string | null {
  let key = input.trim();
  if (key.toLowerCase().startsWith('ed25519:')) key = key.slice('ed25519:'.length).trim();
  key = key.toLowerCase();
  return /^[0-9a-f]{64}$/.test(key) ? `ed25519:${key}` : null;
}
