import { describe, expect, it } from 'vitest';
import { isSafeIp, unsafeReason } from './airlock.js';
import { AirlockExceptions, parseAirlockException } from './airlock-exceptions.js';
import {
  httpHostAllowed,
  netConnectAllowed,
  socketBindAllowed,
  unixBindAllowed,
} from './allowlists.js';
import { judgeDial } from './dial-policy.js';
import { formatIp, parseIp } from './ip-address.js';
import { AirlockRejection, NameResolutionError, planDial } from './resolve-dial.js';

describe('IP parsing', () => {
  it('parses IPv4 and IPv6 literals and refuses host names', () => {
    expect(parseIp('10.1.2.3')?.family).toBe(4);
    expect(parseIp('::1')?.family).toBe(6);
    expect(parseIp('[::1]')?.family).toBe(6);
    expect(parseIp('fe80::1%eth0')?.family).toBe(6);
    expect(parseIp('::ffff:127.0.0.1')?.bytes.slice(12)).toEqual(Uint8Array.from([127, 0, 0, 1]));
    for (const bad of ['localhost', '1.2.3', '01.2.3.4', '256.1.1.1', '1::2::3', ':::', '']) {
      expect(parseIp(bad)).toBeNull();
    }
  });

  it('formats addresses canonically', () => {
    expect(formatIp(parseIp('0:0:0:0:0:0:0:1') as never)).toBe('::1');
    expect(formatIp(parseIp('2001:db8:0:0:1:0:0:1') as never)).toBe('2001:db8::1:0:0:1');
    expect(formatIp(parseIp('192.168.0.1') as never)).toBe('192.168.0.1');
  });
});

describe('SSRF airlock', () => {
  it('blocks loopback, private, link-local, multicast and unspecified addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '127.255.0.9',
      '10.0.0.5',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      'fc00::1',
      'fd12::1',
      'fe80::1',
      'ff02::1',
    ]) {
      expect(isSafeIp(ip), ip).toBe(false);
    }
  });

  it('judges IPv6 forms that carry an IPv4 address by that address', () => {
    expect(unsafeReason('::ffff:127.0.0.1')).toBe('loopback');
    expect(unsafeReason('::ffff:7f00:1')).toBe('loopback');
    expect(unsafeReason('::10.0.0.1')).toBe('private');
    expect(unsafeReason('64:ff9b::a9fe:a9fe')).toBe('link-local');
    expect(unsafeReason('2002:c0a8:0101::1')).toBe('private');
    expect(isSafeIp('::ffff:8.8.8.8')).toBe(true);
  });

  it('lets public addresses through', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '198.18.0.1', '2606:4700::1111']) {
      expect(isSafeIp(ip), ip).toBe(true);
    }
  });
});

describe('operator airlock exceptions', () => {
  it('parses addresses, CIDR blocks and ports and refuses host names', () => {
    expect(parseAirlockException('127.0.0.1:11434').port).toBe(11434);
    expect(parseAirlockException('[::1]:*').port).toBeNull();
    expect(parseAirlockException('10.0.0.0/8:443').bits).toBe(8);
    for (const bad of ['localhost:80', '127.0.0.1', '::1:80', '127.0.0.1:99999', '10.0.0.0/33:1']) {
      expect(() => parseAirlockException(bad), bad).toThrow(/airlock_exceptions/);
    }
  });

  it('lifts the airlock only for the listed address and port', () => {
    const ex = AirlockExceptions.parse(['127.0.0.1:11434', '10.1.0.0/16:*']);
    expect(judgeDial('127.0.0.1', 11434, ex)).toEqual({ ok: true, exception: '127.0.0.1:11434' });
    expect(judgeDial('::ffff:127.0.0.1', 11434, ex).ok).toBe(true);
    expect(judgeDial('127.0.0.1', 11435, ex)).toEqual({ ok: false, reason: 'loopback' });
    expect(judgeDial('127.0.0.2', 11434, ex).ok).toBe(false);
    expect(judgeDial('10.1.200.3', 22, ex).ok).toBe(true);
    expect(judgeDial('10.2.0.1', 22, ex).ok).toBe(false);
    expect(judgeDial('8.8.8.8', 53, AirlockExceptions.NONE).ok).toBe(true);
    expect(ex.describe()).toEqual(['127.0.0.1:11434', '10.1.0.0/16:*']);
  });
});

describe('allowlists', () => {
  it('net: exact host, subdomains, wildcard, case-insensitive entries', () => {
    expect(httpHostAllowed(['example.com'], 'api.example.com')).toBe(true);
    expect(httpHostAllowed(['Example.COM'], 'example.com')).toBe(true);
    expect(httpHostAllowed(['example.com'], 'evil.com')).toBe(false);
    expect(httpHostAllowed(['example.com'], 'badexample.com')).toBe(false);
    expect(httpHostAllowed(['*'], 'anything.org')).toBe(true);
    expect(httpHostAllowed(['::1'], '[::1]')).toBe(true);
    expect(httpHostAllowed([], 'example.com')).toBe(false);
  });

  it('net_connect: host:port and host:*, split at the last colon', () => {
    expect(netConnectAllowed(['db.internal:5432'], 'DB.internal', 5432)).toBe(true);
    expect(netConnectAllowed(['db.internal:5432'], 'db.internal', 5433)).toBe(false);
    expect(netConnectAllowed(['db.internal:*'], 'db.internal', 1)).toBe(true);
    expect(netConnectAllowed(['::1:443'], '::1', 443)).toBe(true);
    expect(netConnectAllowed(['[::1]:443'], '::1', 443)).toBe(true);
    expect(netConnectAllowed(['db.internal'], 'db.internal', 80)).toBe(false);
  });

  it('net_bind: any entry grants the Unix listener; TCP/UDP need a matching entry', () => {
    expect(unixBindAllowed(['unix:cli'])).toBe(true);
    expect(unixBindAllowed(['', '  '])).toBe(false);
    expect(socketBindAllowed(['unix:cli'], 'tcp', '127.0.0.1', 8080)).toBe(false);
    expect(socketBindAllowed(['tcp:127.0.0.1:*'], 'tcp', '127.0.0.1', 8080)).toBe(true);
    expect(socketBindAllowed(['tcp:127.0.0.1:*'], 'udp', '127.0.0.1', 8080)).toBe(false);
    expect(socketBindAllowed(['udp:0.0.0.0:5353'], 'udp', '0.0.0.0', 5353)).toBe(true);
    expect(socketBindAllowed(['*'], 'udp', '::', 1)).toBe(true);
  });
});

describe('planDial', () => {
  const resolver = (table: Record<string, string[]>) => async (host: string) => {
    const r = table[host];
    if (r === undefined) throw Object.assign(new Error('nx'), { code: 'ENOTFOUND' });
    return r;
  };

  it('judges IP literals without resolving and every resolved address of a name', async () => {
    const none = AirlockExceptions.NONE;
    expect((await planDial('127.0.0.1', 80, none, resolver({}))).rejected).toHaveLength(1);
    const mixed = await planDial(
      'rebind.test',
      80,
      none,
      resolver({ 'rebind.test': ['8.8.8.8', '10.0.0.5'] }),
    );
    expect(mixed.allowed.map(formatIp)).toEqual(['8.8.8.8']);
    expect(mixed.rejected).toEqual([{ address: '10.0.0.5', reason: 'private' }]);
  });

  it('reports resolver failures as name-resolution errors', async () => {
    await expect(
      planDial('nowhere.test', 80, AirlockExceptions.NONE, resolver({})),
    ).rejects.toBeInstanceOf(NameResolutionError);
    expect(new AirlockRejection('x', [{ address: '10.0.0.1', reason: 'private' }]).message).toMatch(
      /10\.0\.0\.1 is private/,
    );
  });
});
