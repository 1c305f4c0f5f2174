import { describe, expect, it } from 'vitest';
import { normalizeIp, resolveClientIp, trustedProxies } from './client-ip.js';

const trusted = trustedProxies(['10.0.0.1', '::1']);

describe('resolveClientIp', () => {
  it('uses the peer when it is not a trusted proxy, ignoring forged headers', () => {
    expect(
      resolveClientIp('203.0.113.9', { forwardedFor: '1.2.3.4', realIp: '5.6.7.8' }, trusted),
    ).toBe('203.0.113.9');
  });

  it('uses the first X-Forwarded-For hop from a trusted proxy', () => {
    expect(resolveClientIp('10.0.0.1', { forwardedFor: ' 1.2.3.4 , 10.0.0.1' }, trusted)).toBe(
      '1.2.3.4',
    );
    expect(resolveClientIp('::1', { forwardedFor: '2001:db8::1' }, trusted)).toBe('2001:db8::1');
  });

  it('falls back to X-Real-IP, then the peer, when the header does not parse', () => {
    expect(
      resolveClientIp('10.0.0.1', { forwardedFor: 'garbage', realIp: '5.6.7.8' }, trusted),
    ).toBe('5.6.7.8');
    expect(resolveClientIp('10.0.0.1', { forwardedFor: 'garbage', realIp: 'nope' }, trusted)).toBe(
      '10.0.0.1',
    );
    expect(resolveClientIp('10.0.0.1', {}, trusted)).toBe('10.0.0.1');
  });

  it('treats IPv4-mapped peers as IPv4', () => {
    expect(normalizeIp('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(resolveClientIp('::ffff:10.0.0.1', { forwardedFor: '9.9.9.9' }, trusted)).toBe(
      '9.9.9.9',
    );
  });
});
