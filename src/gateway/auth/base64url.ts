const ALPHABET = /^[A-Za-z0-9_-]*$/;

/** RFC 4648 §5 base64url without padding. */
export function b64urlEncode(bytes: Uint8Array | string): string {
  return Buffer.from(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes).toString(
    'base64url',
  );
}

/**
 * Strict unpadded base64url: only the URL-safe alphabet, no `=`, no length
 * that leaves a dangling 6 bits, and canonical trailing bits. Node's own
 * decoder accepts all of those, so the input must round-trip exactly.
 */
export function b64urlDecodeStrict(text: string): Buffer | null {
  if (!ALPHABET.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}
