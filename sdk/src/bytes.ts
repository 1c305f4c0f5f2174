/** The chunks joined into one array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Reads every chunk into one array; a `RangeError` naming `what` once more than `limit` bytes arrive. */
export function collectBytes(
  chunks: Iterable<Uint8Array>,
  limit: number,
  what: string,
): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const chunk of chunks) {
    size += chunk.length;
    if (size > limit) throw new RangeError(`${what} is over ${limit} bytes`);
    parts.push(chunk);
  }
  return concatBytes(parts);
}
