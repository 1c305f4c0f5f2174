import { AstridError } from '../../core/errors.js';
import { isJsonObject, type Json, type JsonObject } from '../../events/json.js';
import { ParamsReader } from './params-reader.js';

/** Every admin request kind with its decoded parameters (wire names kept in snake_case). */
export type AdminKind =
  | { method: 'AgentCreate'; name: string; groups: string[]; grants: string[] }
  | { method: 'AgentDelete'; principal: string }
  | { method: 'AgentEnable'; principal: string }
  | { method: 'AgentDisable'; principal: string }
  | { method: 'AgentModify'; principal: string; add_groups: string[]; remove_groups: string[] }
  | { method: 'AgentList' }
  | { method: 'QuotaSet'; principal: string; quotas: JsonObject }
  | { method: 'QuotaGet'; principal: string }
  | { method: 'UsageGet'; principal: string }
  | {
      method: 'GroupCreate';
      name: string;
      capabilities: string[];
      description: string | null;
      unsafe_admin: boolean;
    }
  | { method: 'GroupDelete'; name: string }
  | {
      method: 'GroupModify';
      name: string;
      capabilities?: string[];
      /** Absent keeps the description; null clears it. */
      description?: string | null;
      unsafe_admin?: boolean;
    }
  | { method: 'GroupList' }
  | { method: 'CapsGrant'; principal: string; capabilities: string[]; unsafe_admin: boolean }
  | { method: 'CapsRevoke'; principal: string; capabilities: string[] }
  | {
      method: 'InviteIssue';
      group: string;
      expires_secs?: number;
      max_uses: number;
      metadata?: JsonObject;
    }
  | { method: 'InviteRedeem'; token: string; public_key: string; display_name?: string }
  | { method: 'InviteList' }
  | { method: 'InviteRevoke'; token: string }
  | { method: 'PairDeviceIssue'; expires_secs?: number; label?: string }
  | { method: 'PairDeviceRedeem'; token: string; public_key: string };

export type AdminMethod = AdminKind['method'];

/** Topic suffix of each kind (`astrid.v1.admin.<suffix>`); the audit method is `admin.<suffix>`. */
export const ADMIN_SUFFIXES: Readonly<Record<AdminMethod, string>> = {
  AgentCreate: 'agent.create',
  AgentDelete: 'agent.delete',
  AgentEnable: 'agent.enable',
  AgentDisable: 'agent.disable',
  AgentModify: 'agent.modify',
  AgentList: 'agent.list',
  QuotaSet: 'quota.set',
  QuotaGet: 'quota.get',
  UsageGet: 'usage.get',
  GroupCreate: 'group.create',
  GroupDelete: 'group.delete',
  GroupModify: 'group.modify',
  GroupList: 'group.list',
  CapsGrant: 'caps.grant',
  CapsRevoke: 'caps.revoke',
  InviteIssue: 'invite.issue',
  InviteRedeem: 'invite.redeem',
  InviteList: 'invite.list',
  InviteRevoke: 'invite.revoke',
  PairDeviceIssue: 'auth.pair.issue',
  PairDeviceRedeem: 'auth.pair.redeem',
};

export const ADMIN_METHODS = Object.keys(ADMIN_SUFFIXES) as AdminMethod[];

/** Kinds that change state (audited with their durable outcome, in the same transaction). */
export const MUTATING_METHODS: ReadonlySet<AdminMethod> = new Set([
  'AgentCreate',
  'AgentDelete',
  'AgentEnable',
  'AgentDisable',
  'AgentModify',
  'QuotaSet',
  'GroupCreate',
  'GroupDelete',
  'GroupModify',
  'CapsGrant',
  'CapsRevoke',
  'InviteIssue',
  'InviteRedeem',
  'InviteList',
  'InviteRevoke',
  'PairDeviceIssue',
  'PairDeviceRedeem',
]);

export function auditMethod(method: AdminMethod): string {
  return `admin.${ADMIN_SUFFIXES[method]}`;
}

function isAdminMethod(value: string): value is AdminMethod {
  return Object.hasOwn(ADMIN_SUFFIXES, value);
}

/** Decodes the kind from `{method, params}`; throws `invalid-input` naming what is wrong. */
export function decodeAdminKind(method: string, params: Json | undefined): AdminKind {
  if (!isAdminMethod(method)) {
    throw new AstridError(
      'invalid-input',
      `unknown admin method ${JSON.stringify(method)} (known: ${ADMIN_METHODS.join(', ')})`,
    );
  }
  const p = new ParamsReader(method, params);
  let kind: AdminKind;
  switch (method) {
    case 'AgentCreate':
      kind = {
        method,
        name: p.string('name'),
        groups: p.strings('groups', []),
        grants: p.strings('grants', []),
      };
      break;
    case 'AgentDelete':
    case 'AgentEnable':
    case 'AgentDisable':
    case 'QuotaGet':
    case 'UsageGet':
      kind = { method, principal: p.string('principal') };
      break;
    case 'AgentModify':
      kind = {
        method,
        principal: p.string('principal'),
        add_groups: p.strings('add_groups', []),
        remove_groups: p.strings('remove_groups', []),
      };
      break;
    case 'AgentList':
    case 'GroupList':
    case 'InviteList':
      kind = { method };
      break;
    case 'QuotaSet': {
      const principal = p.string('principal');
      const quotas = p.optionalObject('quotas');
      if (quotas === undefined)
        throw new AstridError(
          'invalid-input',
          'QuotaSet: quotas is required and must be an object',
        );
      kind = { method, principal, quotas };
      break;
    }
    case 'GroupCreate':
      kind = {
        method,
        name: p.string('name'),
        capabilities: p.strings('capabilities'),
        description: p.optionalString('description') ?? null,
        unsafe_admin: p.bool('unsafe_admin', false),
      };
      break;
    case 'GroupDelete':
      kind = { method, name: p.string('name') };
      break;
    case 'GroupModify': {
      const name = p.string('name');
      const capabilities = p.optionalStrings('capabilities');
      const description = p.nullableString('description');
      const unsafeAdmin = p.optionalBool('unsafe_admin');
      kind = {
        method,
        name,
        ...(capabilities === undefined ? {} : { capabilities }),
        ...(description === undefined ? {} : { description }),
        ...(unsafeAdmin === undefined ? {} : { unsafe_admin: unsafeAdmin }),
      };
      break;
    }
    case 'CapsGrant':
      kind = {
        method,
        principal: p.string('principal'),
        capabilities: p.strings('capabilities'),
        unsafe_admin: p.bool('unsafe_admin', false),
      };
      break;
    case 'CapsRevoke':
      kind = { method, principal: p.string('principal'), capabilities: p.strings('capabilities') };
      break;
    case 'InviteIssue': {
      const group = p.string('group');
      const expires = p.optionalCount('expires_secs');
      const maxUses = p.count('max_uses');
      const metadata = p.optionalObject('metadata');
      kind = {
        method,
        group,
        max_uses: maxUses,
        ...(expires === undefined ? {} : { expires_secs: expires }),
        ...(metadata === undefined ? {} : { metadata }),
      };
      break;
    }
    case 'InviteRedeem': {
      const token = p.string('token');
      const publicKey = p.string('public_key');
      const displayName = p.optionalString('display_name');
      kind = {
        method,
        token,
        public_key: publicKey,
        ...(displayName === undefined ? {} : { display_name: displayName }),
      };
      break;
    }
    case 'InviteRevoke':
      kind = { method, token: p.string('token') };
      break;
    case 'PairDeviceIssue': {
      const expires = p.optionalCount('expires_secs');
      const label = p.optionalString('label');
      kind = {
        method,
        ...(expires === undefined ? {} : { expires_secs: expires }),
        ...(label === undefined ? {} : { label }),
      };
      break;
    }
    case 'PairDeviceRedeem':
      kind = { method, token: p.string('token'), public_key: p.string('public_key') };
      break;
  }
  p.done();
  return kind;
}

/** The admin envelope: `{request_id?, method, params?}`. */
export interface AdminEnvelope {
  readonly requestId: string | undefined;
  readonly method: string;
  readonly params: Json | undefined;
}

export function readAdminEnvelope(body: Json | undefined): AdminEnvelope {
  if (!isJsonObject(body))
    throw new AstridError('invalid-input', 'an admin request must be a JSON object');
  const { request_id: requestId, method, params, ...rest } = body;
  if (requestId !== undefined && typeof requestId !== 'string') {
    throw new AstridError('invalid-input', 'request_id must be a string');
  }
  if (typeof method !== 'string')
    throw new AstridError('invalid-input', 'an admin request needs a string "method"');
  const extra = Object.keys(rest);
  if (extra.length > 0) {
    throw new AstridError(
      'invalid-input',
      `unknown admin request field(s) ${extra.map((k) => JSON.stringify(k)).join(', ')}`,
    );
  }
  return { requestId, method, params };
}

/** The kind in its wire form (`{method, params?}`), for audit rows. */
export function kindToWire(kind: AdminKind): JsonObject {
  const { method, ...params } = kind;
  return Object.keys(params).length === 0 ? { method } : { method, params: params as JsonObject };
}
