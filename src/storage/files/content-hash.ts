import { createBLAKE3, type IHasher } from 'hash-wasm';

let hasher: Promise<IHasher> | null = null;

/**
 * BLAKE3-256 of `data` as 64 lowercase hex characters. One WASM hasher is
 * shared; each call runs init→update→digest synchronously after the first
 * await, so calls never interleave.
 */
export async function blake3Hex(data: Uint8Array | string): Promise<string> {
  hasher ??= createBLAKE3();
  const h = await hasher;
  h.init();
  h.update(data);
  return h.digest('hex');
}

/** BLAKE3-256 of `data` as raw 32 bytes. */
export async function blake3Bytes(data: Uint8Array | string): Promise<Uint8Array> {
  hasher ??= createBLAKE3();
  const h = await hasher;
  h.init();
  h.update(data);
  return h.digest('binary');
}

export const BLAKE3_HEX = /^[0-9a-f]{64}$/;

/**
 * A synchronous BLAKE3-256 function (after one await to load the WASM
 * hasher), for hot paths such as the audit chain. The returned function owns
 * its own hasher instance.
 */
export async function syncBlake3(): Promise<(data: Uint8Array) => Uint8Array> {
  const h = await createBLAKE3();
  return (data) => {
    h.init();
    h.update(data);
    return h.digest('binary');
  };
}
