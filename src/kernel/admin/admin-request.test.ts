import { describe, expect, it } from 'vitest';
import { CAPABILITY_CATALOG } from '../../core/capabilities/capability-catalog.js';
import type { JsonObject } from '../../events/json.js';
import { adminPolicy } from './admin-policy.js';
import {
  ADMIN_METHODS,
  type AdminKind,
  decodeAdminKind,
  readAdminEnvelope,
} from './admin-request.js';
import { slugifyDisplayName } from './admin-service.js';
import { publicKeyFingerprint, redactedParams } from './audit-redaction.js';
import { normalizePublicKey } from './public-key.js';

const SAMPLE: Record<string, JsonObject> = {
  AgentCreate: { name: 'a' },
  AgentDelete: { principal: 'a' },
  AgentEnable: { principal: 'a' },
  AgentDisable: { principal: 'a' },
  AgentModify: { principal: 'a', add_groups: ['x'] },
  AgentList: {},
  QuotaSet: { principal: 'a', quotas: {} },
  QuotaGet: { principal: 'a' },
  UsageGet: { principal: 'a' },
  GroupCreate: { name: 'g', capabilities: [] },
  GroupDelete: { name: 'g' },
  GroupModify: { name: 'g' },
  GroupList: {},
  CapsGrant: { principal: 'a', capabilities: ['x'] },
  CapsRevoke: { principal: 'a', capabilities: ['x'] },
  InviteIssue: { group: 'agent', max_uses: 1 },
  InviteRedeem: { token: 't', public_key: 'k' },
  InviteList: {},
  InviteRevoke: { token: 't' },
  PairDeviceIssue: {},
  PairDeviceRedeem: { token: 't', public_key: 'k' },
};

describe('admin request decoding', () => {
  it('decodes every kind and applies defaults', () => {
    for (const method of ADMIN_METHODS)
      expect(decodeAdminKind(method, SAMPLE[method]).method).toBe(method);
    expect(decodeAdminKind('AgentCreate', { name: 'a' })).toEqual({
      method: 'AgentCreate',
      name: 'a',
      groups: [],
      grants: [],
    });
    expect(decodeAdminKind('GroupModify', { name: 'g', description: null })).toEqual({
      method: 'GroupModify',
      name: 'g',
      description: null,
    });
    expect(decodeAdminKind('GroupModify', { name: 'g' })).toEqual({
      method: 'GroupModify',
      name: 'g',
    });
  });

  it('names the problem: unknown method, missing or mistyped field, unknown parameter', () => {
    expect(() => decodeAdminKind('AgentZap', {})).toThrow(/unknown admin method "AgentZap"/);
    expect(() => decodeAdminKind('AgentDelete', {})).toThrow(
      'AgentDelete: principal is required and must be a string',
    );
    expect(() => decodeAdminKind('InviteIssue', { group: 'g', max_uses: -1 })).toThrow(
      /max_uses is required and must be a whole number/,
    );
    expect(() => decodeAdminKind('AgentList', { verbose: true })).toThrow(
      /unknown parameter "verbose"/,
    );
    expect(() => readAdminEnvelope({ method: 'AgentList', extra: 1 })).toThrow(
      /unknown admin request field/,
    );
    expect(() => readAdminEnvelope([])).toThrow(/must be a JSON object/);
  });
});

describe('admin policy', () => {
  it('every capability the policy can require, in both scopes, is in the catalogue', () => {
    const ids = new Set(CAPABILITY_CATALOG.map((c) => c.id));
    for (const method of ADMIN_METHODS) {
      for (const caller of ['a', 'b']) {
        const p = adminPolicy(decodeAdminKind(method, SAMPLE[method]), caller);
        expect(ids.has(p.auditCapability)).toBe(true);
      }
    }
  });

  it('quota and usage are self-scoped only when they target the caller', () => {
    const kind: AdminKind = { method: 'QuotaGet', principal: 'alice' };
    expect(adminPolicy(kind, 'alice')).toMatchObject({
      scope: 'self',
      capability: 'self:quota:get',
      target: 'alice',
    });
    expect(adminPolicy(kind, 'bob')).toMatchObject({ scope: 'global', capability: 'quota:get' });
    expect(adminPolicy({ method: 'AgentList' }, 'x')).toMatchObject({
      capability: 'self:agent:list',
    });
    expect(adminPolicy({ method: 'InviteRedeem', token: 't', public_key: 'k' }, 'x')).toMatchObject(
      { capability: null, auditCapability: 'invite:redeem' },
    );
  });
});

describe('audit redaction and keys', () => {
  it('replaces tokens and keys by fingerprints; the shown and audited fingerprints agree', () => {
    const key = `ED25519:${'AB'.repeat(32)}`;
    const params = redactedParams({
      method: 'InviteRedeem',
      token: 'secret-token',
      public_key: key,
      display_name: 'Ada',
    });
    expect(JSON.stringify(params)).not.toContain('secret-token');
    expect(JSON.stringify(params)).not.toMatch(/ab{2}/i);
    expect(params).toMatchObject({
      method: 'InviteRedeem',
      params: {
        display_name: 'Ada',
        public_key_fingerprint: publicKeyFingerprint(`ed25519:${'ab'.repeat(32)}`),
      },
    });
    expect(redactedParams({ method: 'InviteRevoke', token: 'F'.repeat(64) })).toEqual({
      method: 'InviteRevoke',
      params: { token_fingerprint: 'f'.repeat(64) },
    });
    expect(redactedParams({ method: 'AgentList' })).toBeNull();
  });

  it('normalises public keys and slugs display names', () => {
    expect(normalizePublicKey(`  ed25519:${'Ab'.repeat(32)} `)).toBe(`ed25519:${'ab'.repeat(32)}`);
    expect(normalizePublicKey('ab'.repeat(31))).toBeNull();
    expect(slugifyDisplayName('  Ada   Lovelace!! ')).toBe('ada-lovelace');
    expect(slugifyDisplayName('***')).toBe('');
  });
});
