import { describe, expect, it } from 'vitest';
import { formatListenAddress, isLoopback, parseListenAddress } from './listen-address.js';

describe('listen address', () => {
  it('parses ip:port and [ipv6]:port', () => {
    expect(parseListenAddress('127.0.0.1:2787')).toEqual({ host: '127.0.0.1', port: 2787 });
    expect(parseListenAddress('0.0.0.0:0')).toEqual({ host: '0.0.0.0', port: 0 });
    expect(parseListenAddress('[::1]:8080')).toEqual({ host: '::1', port: 8080 });
  });

  it.each([
    'localhost:2787',
    '127.0.0.1',
    ':2787',
    '127.0.0.1:65536',
    '::1:8080',
    '[127.0.0.1]:80',
    '1.2.3.4:80x',
    '',
  ])('refuses %s', (text) => {
    expect(parseListenAddress(text)).toBeNull();
  });

  it('knows loopback', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('127.8.9.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopback('192.168.1.2')).toBe(false);
    expect(isLoopback('::')).toBe(false);
  });

  it('formats back', () => {
    expect(formatListenAddress({ host: '::1', port: 1 })).toBe('[::1]:1');
    expect(formatListenAddress({ host: '10.0.0.1', port: 2 })).toBe('10.0.0.1:2');
  });
});
