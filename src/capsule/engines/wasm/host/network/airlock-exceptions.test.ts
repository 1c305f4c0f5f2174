import { describe, expect, it } from 'vitest';
import { AstridError } from '../../../../../core/errors.js';
import { AirlockExceptions, parseAirlockException } from './airlock-exceptions.js';
import { parseIp } from './ip-address.js';

// Basic parsing and judgeDial integration are covered in network-policy.test.ts;
// these cover the parsed fields, the exact errors and the edges of `covering`.

function refusal(entry: string): AstridError {
  try {
    parseAirlockException(entry);
  } catch (e) {
    expect(e).toBeInstanceOf(AstridError);
    expect((e as AstridError).code).toBe('config');
    return e as AstridError;
  }
  throw new Error(`expected ${JSON.stringify(entry)} to be refused`);
}

describe('parseAirlockException', () => {
  it('parses an IPv4 address into a full-length prefix', () => {
    expect(parseAirlockException('127.0.0.1:11434')).toEqual({
      text: '127.0.0.1:11434',
      family: 4,
      prefix: new Uint8Array([127, 0, 0, 1]),
      bits: 32,
      port: 11434,
    });
  });

  it('parses a bracketed IPv6 address with any port', () => {
    const e = parseAirlockException('[::1]:*');
    expect(e.family).toBe(6);
    expect(e.bits).toBe(128);
    expect(e.port).toBeNull();
    expect(Array.from(e.prefix)).toEqual([...new Array(15).fill(0), 1]);
  });

  it('parses CIDR blocks, with the prefix length inside or outside the brackets', () => {
    expect(parseAirlockException('10.0.0.0/8:443')).toMatchObject({
      family: 4,
      bits: 8,
      port: 443,
    });
    expect(parseAirlockException('[fd00::]/8:*')).toMatchObject({ family: 6, bits: 8 });
    expect(parseAirlockException('[fd00::/8]:*')).toMatchObject({ family: 6, bits: 8 });
    expect(parseAirlockException('0.0.0.0/0:*')).toMatchObject({ family: 4, bits: 0 });
    expect(parseAirlockException('[::]/0:1')).toMatchObject({ family: 6, bits: 0, port: 1 });
  });

  it('accepts an unbracketed IPv6 CIDR block, where the prefix length ends the address', () => {
    expect(parseAirlockException('fd00::/8:5432')).toMatchObject({
      family: 6,
      bits: 8,
      port: 5432,
    });
  });

  it('accepts ports 0 to 65535 and trims the entry', () => {
    expect(parseAirlockException('10.0.0.1:0').port).toBe(0);
    expect(parseAirlockException('10.0.0.1:65535').port).toBe(65535);
    const e = parseAirlockException('  10.0.0.1:80 \n');
    expect(e.text).toBe('10.0.0.1:80');
    expect(e.port).toBe(80);
  });

  it('names the entry, the problem and the accepted forms in its error', () => {
    expect(refusal('localhost:11434').message).toBe(
      'network.airlock_exceptions: "localhost:11434" does not name an IP address (host names are not accepted); write an IP address or CIDR block and a port, e.g. "127.0.0.1:11434", "[::1]:8080" or "10.0.0.0/8:*"',
    );
  });

  it('refuses each kind of malformed entry with its own reason', () => {
    const cases: [string, string][] = [
      ['10.0.0.1', 'has no port'],
      [':443', 'has no port'],
      ['   ', 'has no port'],
      ['10.0.0.1:65536', 'has an invalid port "65536"'],
      ['10.0.0.1:123456', 'has an invalid port "123456"'],
      ['10.0.0.1:+80', 'has an invalid port "+80"'],
      ['10.0.0.1:8o', 'has an invalid port "8o"'],
      ['10.0.0.1:**', 'has an invalid port "**"'],
      ['[::1]', 'has an invalid port "1]"'],
      ['fe80::1:443', 'is an IPv6 address without brackets'],
      ['[fe80::1:443', 'has an unclosed bracket'],
      ['10.0.0.0/33:1', 'has an invalid prefix length /33'],
      ['10.0.0.0/1234:1', 'has an invalid prefix length /1234'],
      ['10.0.0.0/-1:1', 'has an invalid prefix length /-1'],
      ['10.0.0.0/x:1', 'has an invalid prefix length /x'],
      ['[::1]/129:1', 'has an invalid prefix length /129'],
      ['10.0.0:1', 'does not name an IP address'],
      ['[::1]x:80', 'does not name an IP address'],
      ['*:80', 'does not name an IP address'],
    ];
    for (const [entry, why] of cases) {
      expect(refusal(entry).message, entry).toContain(`${JSON.stringify(entry)} ${why}`);
    }
  });
});

describe('AirlockExceptions', () => {
  it('parses a list, refusing the whole list when one entry is bad', () => {
    expect(AirlockExceptions.parse([]).entries).toEqual([]);
    expect(AirlockExceptions.parse(['127.0.0.1:1', '[::1]:2']).entries).toHaveLength(2);
    expect(() => AirlockExceptions.parse(['127.0.0.1:1', 'db:2'])).toThrow(/"db:2"/);
  });

  it('covers nothing when empty', () => {
    expect(AirlockExceptions.NONE.entries).toEqual([]);
    expect(AirlockExceptions.NONE.covering('127.0.0.1', 80)).toBeNull();
  });

  it('returns the first entry that covers an address and port', () => {
    const ex = AirlockExceptions.parse(['10.0.0.0/8:443', '10.1.0.0/16:*', '10.1.2.3:443']);
    expect(ex.covering('10.1.2.3', 443)?.text).toBe('10.0.0.0/8:443');
    expect(ex.covering('10.1.2.3', 80)?.text).toBe('10.1.0.0/16:*');
    expect(ex.covering('10.2.0.1', 80)).toBeNull();
  });

  it('respects prefix lengths that are not multiples of eight', () => {
    const ex = AirlockExceptions.parse(['172.16.0.0/12:*']);
    expect(ex.covering('172.16.0.1', 1)).not.toBeNull();
    expect(ex.covering('172.31.255.255', 1)).not.toBeNull();
    expect(ex.covering('172.32.0.0', 1)).toBeNull();
    expect(ex.covering('172.15.255.255', 1)).toBeNull();
  });

  it('covers IPv6 addresses only with IPv6 entries', () => {
    const ex = AirlockExceptions.parse(['[fd00::]/8:*']);
    expect(ex.covering('fd12:3456::1', 9)).not.toBeNull();
    expect(ex.covering('fe80::1', 9)).toBeNull();
    expect(ex.covering('10.0.0.1', 9)).toBeNull();
    expect(AirlockExceptions.parse(['0.0.0.0/0:*']).covering('::1', 9)).toBeNull();
  });

  it('covers IPv6 forms that carry a covered IPv4 address', () => {
    const ex = AirlockExceptions.parse(['127.0.0.1:11434']);
    for (const address of ['::ffff:127.0.0.1', '64:ff9b::7f00:1', '2002:7f00:1::1'])
      expect(ex.covering(address, 11434)?.text, address).toBe('127.0.0.1:11434');
    expect(ex.covering('::ffff:127.0.0.2', 11434)).toBeNull();
    expect(ex.covering('::ffff:127.0.0.1', 11435)).toBeNull();
  });

  it('accepts a parsed address and returns null for text that is not an address', () => {
    const ex = AirlockExceptions.parse(['127.0.0.1:*']);
    const ip = parseIp('127.0.0.1');
    if (ip === null) throw new Error('unreachable');
    expect(ex.covering(ip, 1)?.text).toBe('127.0.0.1:*');
    expect(ex.covering('localhost', 1)).toBeNull();
    expect(ex.covering('', 1)).toBeNull();
  });

  it('describes entries canonically', () => {
    const ex = AirlockExceptions.parse([
      '[0:0:0:0:0:0:0:1]:*',
      '[FD00::]/8:443',
      'fd00::/16:1',
      '192.168.0.0/16:5432',
      ' 10.0.0.1:0 ',
    ]);
    expect(ex.describe()).toEqual([
      '[::1]:*',
      '[fd00::/8]:443',
      '[fd00::/16]:1',
      '192.168.0.0/16:5432',
      '10.0.0.1:0',
    ]);
  });
});
