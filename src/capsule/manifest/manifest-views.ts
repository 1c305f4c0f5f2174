import type { OnboardingField } from '../../events/ipc-payload.js';
import type { CapsuleCapabilities, CapsuleManifest, EnvDef } from './manifest.js';
import { DEFAULT_INTERCEPTOR_PRIORITY } from './manifest.js';

export interface InterceptorDef {
  /** The topic pattern (dispatch matcher). */
  readonly event: string;
  /** The action name passed to the guest's `astrid-hook-trigger`. */
  readonly action: string;
  readonly priority: number;
}

/**
 * Interceptors the capsule binds: every `[subscribe]` entry with a handler.
 * Sorted by priority, then topic, then action, so dispatch order never depends
 * on map iteration.
 */
export function effectiveInterceptors(m: CapsuleManifest): InterceptorDef[] {
  return m.subscribe
    .filter((s) => s.handler !== null)
    .map((s) => ({
      event: s.topic,
      action: s.handler as string,
      priority: s.priority ?? DEFAULT_INTERCEPTOR_PRIORITY,
    }))
    .sort((a, b) => a.priority - b.priority || cmp(a.event, b.event) || cmp(a.action, b.action));
}

/** The publish ACL: an empty list means the capsule may not publish at all. */
export function publishPatterns(m: CapsuleManifest): string[] {
  return m.publish.map((p) => p.topic);
}

/** The subscribe ACL: an empty list means the capsule may not subscribe at all. */
export function subscribePatterns(m: CapsuleManifest): string[] {
  return m.subscribe.map((s) => s.topic);
}

/** Capability names (manifest field names) that are non-empty or true, sorted. */
export function heldCapabilityNames(c: CapsuleCapabilities): string[] {
  const held: string[] = [];
  if (c.allowPersistent) held.push('allow_persistent');
  if (c.allowPromptInjection) held.push('allow_prompt_injection');
  if (c.fsRead.length > 0) held.push('fs_read');
  if (c.fsWrite.length > 0) held.push('fs_write');
  if (c.hostProcess.length > 0) held.push('host_process');
  if (c.identity.length > 0) held.push('identity');
  if (c.kv.length > 0) held.push('kv');
  if (c.net.length > 0) held.push('net');
  if (c.netBind.some((e) => e.length > 0)) held.push('net_bind');
  if (c.netConnect.length > 0) held.push('net_connect');
  if (c.uplink) held.push('uplink');
  return held.sort();
}

/** Whether the manifest holds capability `name`; unknown names are false. */
export function hasCapability(c: CapsuleCapabilities, name: string): boolean {
  return heldCapabilityNames(c).includes(name);
}

/** Env keys whose type is `secret` (case-insensitive). */
export function secretEnvKeys(m: CapsuleManifest): string[] {
  return m.env.filter((e) => e.kind === 'secret').map((e) => e.key);
}

export function isSecretEnv(def: EnvDef): boolean {
  return def.kind === 'secret';
}

/** How an `[env]` entry is asked for during onboarding / elicitation. */
export function onboardingField(def: EnvDef): OnboardingField {
  const field: OnboardingField = {
    key: def.key,
    prompt: def.request ?? `Please enter value for ${def.key}`,
    field_type: 'Text',
  };
  if (def.description !== null) field.description = def.description;
  if (def.placeholder !== null) field.placeholder = def.placeholder;
  let prefill = def.default;
  if (def.kind === 'secret') field.field_type = 'Secret';
  else if (def.kind === 'array') field.field_type = 'Array';
  else if (def.enumValues.length > 1) field.field_type = { Enum: [...def.enumValues] };
  else if (def.enumValues.length === 1 && prefill === null) prefill = def.enumValues[0] as string;
  if (prefill !== null) field.default = prefill;
  return field;
}

export function onboardingFields(m: CapsuleManifest): OnboardingField[] {
  return m.env.map(onboardingField);
}

/** The component the runtime loads: the first `[[component]]`, if any. */
export function primaryComponent(m: CapsuleManifest) {
  return m.components[0] ?? null;
}

/** A JSON-safe view of the manifest for `--format json` and the admin API. */
export function manifestToJson(m: CapsuleManifest): Record<string, unknown> {
  return {
    ...m,
    imports: m.imports.map((i) => ({ ...i, requirement: i.requirement.source })),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
