import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { CAPABILITY_CATALOG } from '../../core/capabilities/capability-catalog.js';
import { DEFAULT_QUOTAS, quotasToWire } from '../../core/profiles/quotas.js';
import {
  ADMIN_VIEWS,
  CapabilityInfoView,
  PrincipalIdSchema,
  QuotasAnswer,
  QuotasView,
  viewRef,
} from './admin-views.js';
import { CAPABILITY_CATEGORIES } from './capability-categories.js';

describe('admin views', () => {
  it('every view has a distinct $id', () => {
    const ids = ADMIN_VIEWS.map((v) => v.$id);
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('viewRef points at the view by $id', () => {
    expect(viewRef(QuotasView)).toMatchObject({ $ref: 'QuotasView' });
  });

  it('the quota views accept the defaults; only the PUT view allows omissions', () => {
    expect(Value.Check(QuotasAnswer, quotasToWire(DEFAULT_QUOTAS))).toBe(true);
    expect(Value.Check(QuotasView, {})).toBe(true);
    expect(Value.Check(QuotasAnswer, {})).toBe(false);
    expect(Value.Check(QuotasView, { max_timeout_secs: 0 })).toBe(false);
  });

  it('the principal id schema follows the id grammar', () => {
    expect(Value.Check(PrincipalIdSchema, 'agent_1-x')).toBe(true);
    for (const bad of ['', 'bad.id', 'a b', 'x'.repeat(65)])
      expect(Value.Check(PrincipalIdSchema, bad)).toBe(false);
  });

  it('the kernel catalogue matches its view and every category is listed', () => {
    for (const entry of CAPABILITY_CATALOG) {
      expect(Value.Check(CapabilityInfoView, entry)).toBe(true);
      expect(CAPABILITY_CATEGORIES).toContain(entry.category);
    }
  });
});
