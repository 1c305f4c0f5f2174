import { gzipSync } from 'node:zlib';

/** One entry of a hand-built tar, for archives no well-behaved packer would write. */
export interface RawEntry {
  readonly name: string;
  /** '0' file, '1' hard link, '2' symlink, '3' char device, '5' directory, '6' FIFO. */
  readonly type?: string;
  readonly data?: Buffer;
  /** Size written in the header (defaults to the data length). */
  readonly declaredSize?: number;
  readonly linkname?: string;
}

function writeString(block: Buffer, offset: number, length: number, value: string): void {
  block.write(value.slice(0, length), offset, length, 'utf8');
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  writeString(block, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

function writeSize(block: Buffer, offset: number, value: number): void {
  if (value < 0o77777777777) {
    writeOctal(block, offset, 12, value);
    return;
  }
  // Base-256 encoding for sizes that do not fit 11 octal digits.
  block[offset] = 0x80;
  let v = BigInt(value);
  for (let i = 11; i >= 1; i--) {
    block[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

function header(entry: RawEntry): Buffer {
  const block = Buffer.alloc(512);
  const data = entry.data ?? Buffer.alloc(0);
  writeString(block, 0, 100, entry.name);
  writeOctal(block, 100, 8, entry.type === '5' ? 0o755 : 0o644);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeSize(block, 124, entry.declaredSize ?? data.length);
  writeOctal(block, 136, 12, 1_700_000_000);
  block.fill(0x20, 148, 156);
  writeString(block, 156, 1, entry.type ?? '0');
  writeString(block, 157, 100, entry.linkname ?? '');
  writeString(block, 257, 6, 'ustar\0');
  writeString(block, 263, 2, '00');
  let sum = 0;
  for (const b of block) sum += b;
  writeString(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/** Builds a gzip'd tar from raw entries (data is padded; a declared size may lie). */
export function rawTarGz(entries: readonly RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e));
    const data = e.data ?? Buffer.alloc(0);
    if (data.length > 0) {
      parts.push(data);
      const pad = (512 - (data.length % 512)) % 512;
      parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}
