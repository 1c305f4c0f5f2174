/** Thrown for malformed WebAssembly binaries; carries the byte offset. */
export class WasmDecodeError extends Error {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(`${message} (at byte ${offset})`);
    this.name = 'WasmDecodeError';
    this.offset = offset;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A cursor over WebAssembly binary bytes: LEB128 integers, names, slices. */
export class ByteReader {
  readonly bytes: Uint8Array;
  pos: number;
  readonly end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  fail(message: string): never {
    throw new WasmDecodeError(message, this.pos);
  }

  u8(): number {
    if (this.pos >= this.end) this.fail('unexpected end of data');
    return this.bytes[this.pos++] as number;
  }

  peek(): number {
    if (this.pos >= this.end) this.fail('unexpected end of data');
    return this.bytes[this.pos] as number;
  }

  /** Unsigned LEB128 up to 32 bits. */
  u32(): number {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.u8();
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
    return this.fail('u32 LEB128 too long');
  }

  /** Signed LEB128 up to 32 bits. */
  s32(): number {
    let result = 0;
    let shift = 0;
    let byte: number;
    let i = 0;
    do {
      if (i++ >= 5) this.fail('s32 LEB128 too long');
      byte = this.u8();
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    if (shift < 32 && byte & 0x40) result |= -1 << shift;
    return result | 0;
  }

  /** Signed LEB128 up to 33 bits (block types, heap types), as a number. */
  s33(): number {
    let result = 0;
    let mult = 1;
    let byte: number;
    let i = 0;
    do {
      if (i++ >= 5) this.fail('s33 LEB128 too long');
      byte = this.u8();
      result += (byte & 0x7f) * mult;
      mult *= 128;
    } while (byte & 0x80);
    if (byte & 0x40) result -= mult;
    return result;
  }

  /** Signed LEB128 up to 64 bits, as a bigint. */
  s64(): bigint {
    let result = 0n;
    let shift = 0n;
    let byte: number;
    let i = 0;
    do {
      if (i++ >= 10) this.fail('s64 LEB128 too long');
      byte = this.u8();
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
    } while (byte & 0x80);
    if (shift < 64n && byte & 0x40) result |= -1n << shift;
    return BigInt.asIntN(64, result);
  }

  /** Unsigned LEB128 up to 64 bits, as a bigint. */
  u64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const byte = this.u8();
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
    return this.fail('u64 LEB128 too long');
  }

  /** Skips a LEB128 integer of any width. */
  skipLeb(): void {
    for (let i = 0; i < 10; i++) {
      if ((this.u8() & 0x80) === 0) return;
    }
    this.fail('LEB128 too long');
  }

  skip(n: number): void {
    if (n < 0 || this.pos + n > this.end) this.fail(`cannot skip ${n} bytes`);
    this.pos += n;
  }

  slice(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.end) this.fail(`cannot read ${n} bytes`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A length-prefixed UTF-8 name. */
  name(): string {
    const length = this.u32();
    const bytes = this.slice(length);
    try {
      return utf8.decode(bytes);
    } catch {
      return this.fail('name is not valid UTF-8');
    }
  }
}
