import { type Capability, checkCapability } from '../capabilities/capability-grammar.js';
import { type AstridError, err, invalidInput, ok, type Result } from '../errors.js';
import { checkGroupName } from '../groups/group.js';
import {
  DEFAULT_QUOTAS,
  type Quotas,
  quotasFromWire,
  quotasToWire,
  type WireQuotas,
} from './quotas.js';

export const PROFILE_VERSION = 1;

export const AUTH_METHODS = ['keypair', 'passkey', 'system'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** A principal's policy: switch, groups, direct grants/revokes, auth, egress, processes, quotas. */
export interface Profile {
  readonly profileVersion: number;
  readonly enabled: boolean;
  readonly groups: readonly string[];
  readonly grants: readonly Capability[];
  readonly revokes: readonly Capability[];
  readonly auth: {
    readonly methods: readonly AuthMethod[];
    readonly publicKeys: readonly string[];
  };
  readonly network: { readonly egress: readonly string[] };
  readonly process: { readonly allow: readonly string[] };
  readonly quotas: Quotas;
}

export const DEFAULT_PROFILE: Profile = deepFreeze({
  profileVersion: PROFILE_VERSION,
  enabled: true,
  groups: [],
  grants: [],
  revokes: [],
  auth: { methods: [], publicKeys: [] },
  network: { egress: [] },
  process: { allow: [] },
  quotas: DEFAULT_QUOTAS,
});

/** Builds a profile from the default with some fields replaced. */
export function makeProfile(fields: Partial<Profile> = {}): Profile {
  return deepFreeze({ ...DEFAULT_PROFILE, ...fields });
}

/** The wire/file form (snake_case), as stored and as served by the admin API. */
export interface WireProfile {
  profile_version: number;
  enabled: boolean;
  groups: string[];
  grants: string[];
  revokes: string[];
  auth: { methods: string[]; public_keys: string[] };
  network: { egress: string[] };
  process: { allow: string[] };
  quotas: WireQuotas;
}

export function profileToWire(profile: Profile): WireProfile {
  return {
    profile_version: profile.profileVersion,
    enabled: profile.enabled,
    groups: [...profile.groups],
    grants: [...profile.grants],
    revokes: [...profile.revokes],
    auth: { methods: [...profile.auth.methods], public_keys: [...profile.auth.publicKeys] },
    network: { egress: [...profile.network.egress] },
    process: { allow: [...profile.process.allow] },
    quotas: quotasToWire(profile.quotas),
  };
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rejectUnknown(where: string, obj: Obj, known: readonly string[]): AstridError | null {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) {
      return invalidInput(
        `profile: unknown key ${JSON.stringify(key)} in ${where} (known: ${known.join(', ')})`,
      );
    }
  }
  return null;
}

function stringList(where: string, value: unknown): Result<string[], AstridError> {
  if (value === undefined) return ok([]);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    return err(invalidInput(`profile: ${where} must be a list of strings`));
  }
  return ok(value as string[]);
}

function table(where: string, value: unknown): Result<Obj, AstridError> {
  if (value === undefined) return ok({});
  if (!isObject(value)) return err(invalidInput(`profile: ${where} must be a table`));
  return ok(value);
}

/**
 * Parses and validates a profile from its wire form (a parsed TOML table or a
 * JSON object). Every field is optional and defaults; unknown keys anywhere,
 * bad values and `profile_version > 1` are errors.
 */
export function profileFromWire(value: unknown): Result<Profile, AstridError> {
  if (!isObject(value)) return err(invalidInput('profile must be a table'));
  const unknown = rejectUnknown('the profile', value, [
    'profile_version',
    'enabled',
    'groups',
    'grants',
    'revokes',
    'auth',
    'network',
    'process',
    'quotas',
  ]);
  if (unknown) return err(unknown);

  const version = value.profile_version ?? PROFILE_VERSION;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return err(invalidInput('profile: profile_version must be a whole number'));
  }
  if (version > PROFILE_VERSION) {
    return err(
      invalidInput(
        `profile: profile_version ${version} is newer than this runtime supports (${PROFILE_VERSION})`,
      ),
    );
  }
  const enabled = value.enabled ?? true;
  if (typeof enabled !== 'boolean')
    return err(invalidInput('profile: enabled must be true or false'));

  const groups = stringList('groups', value.groups);
  if (!groups.ok) return groups;
  const grants = stringList('grants', value.grants);
  if (!grants.ok) return grants;
  const revokes = stringList('revokes', value.revokes);
  if (!revokes.ok) return revokes;

  const auth = table('[auth]', value.auth);
  if (!auth.ok) return auth;
  const authUnknown = rejectUnknown('[auth]', auth.value, ['methods', 'public_keys']);
  if (authUnknown) return err(authUnknown);
  const methods = stringList('auth.methods', auth.value.methods);
  if (!methods.ok) return methods;
  const publicKeys = stringList('auth.public_keys', auth.value.public_keys);
  if (!publicKeys.ok) return publicKeys;

  const network = table('[network]', value.network);
  if (!network.ok) return network;
  const networkUnknown = rejectUnknown('[network]', network.value, ['egress']);
  if (networkUnknown) return err(networkUnknown);
  const egress = stringList('network.egress', network.value.egress);
  if (!egress.ok) return egress;

  const processTable = table('[process]', value.process);
  if (!processTable.ok) return processTable;
  const processUnknown = rejectUnknown('[process]', processTable.value, ['allow']);
  if (processUnknown) return err(processUnknown);
  const allow = stringList('process.allow', processTable.value.allow);
  if (!allow.ok) return allow;

  const quotas = value.quotas === undefined ? ok(DEFAULT_QUOTAS) : quotasFromWire(value.quotas);
  if (!quotas.ok) return err(invalidInput(`profile: [quotas] ${quotas.error.message}`));

  return checkProfile({
    profileVersion: version,
    enabled,
    groups: groups.value,
    grants: grants.value as Capability[],
    revokes: revokes.value as Capability[],
    auth: { methods: methods.value as AuthMethod[], publicKeys: publicKeys.value },
    network: { egress: egress.value },
    process: { allow: allow.value },
    quotas: quotas.value,
  });
}

/** Validates every field of a profile (used before any save). */
export function checkProfile(profile: Profile): Result<Profile, AstridError> {
  for (const group of profile.groups) {
    const checked = checkGroupName(group);
    if (!checked.ok) return err(invalidInput(`profile: groups: ${checked.error.message}`));
  }
  for (const [list, caps] of [
    ['grants', profile.grants],
    ['revokes', profile.revokes],
  ] as const) {
    for (const cap of caps) {
      const checked = checkCapability(cap);
      if (!checked.ok) return err(invalidInput(`profile: ${list}: ${checked.error.message}`));
    }
  }
  for (const method of profile.auth.methods) {
    if (!(AUTH_METHODS as readonly string[]).includes(method)) {
      return err(
        invalidInput(
          `profile: auth.methods: unknown method ${JSON.stringify(method)} (use ${AUTH_METHODS.join(', ')})`,
        ),
      );
    }
  }
  if (profile.auth.publicKeys.some((k) => k.length === 0)) {
    return err(invalidInput('profile: auth.public_keys must not contain empty strings'));
  }
  if (profile.network.egress.some((e) => e.trim().length === 0)) {
    return err(invalidInput('profile: network.egress must not contain blank entries'));
  }
  if (profile.process.allow.some((e) => e.trim().length === 0)) {
    return err(invalidInput('profile: process.allow must not contain blank entries'));
  }
  return ok(deepFreeze(profile));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
