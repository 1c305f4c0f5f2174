import type { CapabilityCategory } from '../../core/capabilities/capability-catalog.js';

/** The catalogue's categories in the order dashboards show them. */
export const CAPABILITY_CATEGORIES: readonly CapabilityCategory[] = Object.freeze([
  'agent',
  'caps',
  'quota',
  'group',
  'invite',
  'capsule',
  'system',
  'approval',
]);
