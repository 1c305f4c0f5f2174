/** A growable byte buffer with LEB128 encoders. */
export class ByteWriter {
  private buf: Uint8Array;
  length = 0;

  constructor(initial = 1024) {
    this.buf = new Uint8Array(Math.max(16, initial));
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): this {
    this.reserve(1);
    this.buf[this.length++] = b & 0xff;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.reserve(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
    return this;
  }

  u32(value: number): this {
    let v = value >>> 0;
    do {
      let byte = v & 0x7f;
      v >>>= 7;
      if (v !== 0) byte |= 0x80;
      this.byte(byte);
    } while (v !== 0);
    return this;
  }

  s32(value: number): this {
    let v = value | 0;
    for (;;) {
      const byte = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
      this.byte(done ? byte : byte | 0x80);
      if (done) return this;
    }
  }

  s64(value: bigint): this {
    let v = BigInt.asIntN(64, value);
    for (;;) {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
      this.byte(done ? byte : byte | 0x80);
      if (done) return this;
    }
  }

  name(value: string): this {
    const encoded = new TextEncoder().encode(value);
    this.u32(encoded.length);
    return this.bytes(encoded);
  }

  /** Writes `content` prefixed by its u32 length. */
  sized(content: Uint8Array): this {
    this.u32(content.length);
    return this.bytes(content);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Encodes a standalone u32 LEB128. */
export function encodeU32(value: number): Uint8Array {
  return new ByteWriter(8).u32(value).finish();
}
