import { createHash, randomBytes } from 'node:crypto';

/** Hex SHA-256 of a token's UTF-8 bytes: the only form in which tokens are stored. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A bearer token: 24 random bytes, base64url (32 characters). */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}
