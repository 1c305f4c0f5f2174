import { AstridError } from '../../core/errors.js';

export const KEY_NAME_MAX_LENGTH = 64;
const KEY_NAME = /^[a-z0-9-]+$/;

/**
 * Validates a local keypair name: 1–64 characters of `[a-z0-9-]`. The name
 * becomes part of file names, so nothing that could leave the key directory
 * (dots, slashes) is accepted. Pure.
 */
export function checkKeyName(name: string): string {
  if (name.length === 0) throw new AstridError('invalid-input', 'keypair name must not be empty');
  if (name.length > KEY_NAME_MAX_LENGTH) {
    throw new AstridError(
      'invalid-input',
      `keypair name is ${name.length} characters; the limit is ${KEY_NAME_MAX_LENGTH}`,
    );
  }
  if (!KEY_NAME.test(name)) {
    throw new AstridError(
      'invalid-input',
      `invalid keypair name ${JSON.stringify(name)}: use only lowercase letters, digits and '-' (e.g. laptop-1)`,
    );
  }
  return name;
}

/** `key-<8 hex>` from four random bytes. Pure. */
export function defaultKeyName(random: Uint8Array): string {
  if (random.length < 4) throw new RangeError('defaultKeyName needs 4 random bytes');
  return `key-${Buffer.from(random.subarray(0, 4)).toString('hex')}`;
}
