/** Most stdin `astrid-emit` forwards. */
export const MAX_EMIT_STDIN = 10 * 1024 * 1024;

/**
 * Joins chunks into at most `max` bytes and decodes them as UTF-8, replacing
 * invalid sequences (including one cut at the limit) with U+FFFD. Pure.
 */
export function decodeLimited(chunks: readonly Buffer[], max: number): string {
  const joined = Buffer.concat(chunks);
  return new TextDecoder('utf-8', { fatal: false }).decode(
    joined.length > max ? joined.subarray(0, max) : joined,
  );
}

/**
 * Reads a stream to EOF but keeps at most `max` bytes (reading stops there).
 * A read error ends the input with what arrived so far.
 */
export function readLimited(input: NodeJS.ReadableStream, max: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      input.off('data', onData);
      input.off('end', finish);
      input.off('error', finish);
      resolve(decodeLimited(chunks, max));
    };
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      chunks.push(buf);
      size += buf.length;
      if (size >= max) {
        finish();
        (input as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      }
    };
    input.on('data', onData);
    input.once('end', finish);
    input.once('error', finish);
    input.resume();
  });
}
