import { AstridError } from '../../../core/errors.js';
import { checkPrincipalId, type PrincipalId } from '../../../core/ids/principal-id.js';
import { isJsonObject, type Json, type JsonObject } from '../../../events/json.js';
import { UsageError } from '../../command-kit.js';
import { isoFromEpoch } from '../keypair/key-view.js';

/** A non-negative integer flag value; anything else is a usage error (exit 2). Pure. */
export function parseCountFlag(flag: string, value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n))
    throw new UsageError(`${flag} expects a whole number, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * `--metadata T`: a JSON object is sent as given; any other text becomes
 * `{"label": T}`. Pure.
 */
export function parseMetadataArg(text: string): JsonObject {
  if (text.trim().length === 0) throw new UsageError('--metadata must not be empty');
  if (text.trim().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new UsageError(
        `--metadata looks like JSON but does not parse: ${(e as Error).message}`,
      );
    }
    if (!isJsonObject(parsed)) throw new UsageError('--metadata JSON must be an object');
    return parsed as JsonObject;
  }
  return { label: text };
}

/** How metadata is shown: its string `label` if it has one, else compact JSON, else `-`. Pure. */
export function metadataLabel(metadata: Json | null | undefined): string {
  if (metadata === null || metadata === undefined) return '-';
  if (isJsonObject(metadata) && typeof metadata.label === 'string') return metadata.label;
  return JSON.stringify(metadata);
}

function shapeError(what: string): AstridError {
  return new AstridError('internal', `the daemon answered ${what} in an unexpected shape`);
}

function optionalEpoch(value: Json | undefined, what: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number') throw shapeError(what);
  return value;
}

function principalOf(value: Json | undefined, what: string): PrincipalId {
  const checked = typeof value === 'string' ? checkPrincipalId(value) : null;
  if (checked === null || !checked.ok) throw shapeError(what);
  return checked.value;
}

export interface IssuedInvite {
  readonly token: string;
  readonly group: string;
  readonly remaining_uses: number;
  readonly expires_at_epoch: number | null;
  readonly metadata: JsonObject | null;
}

/** The `Invite` answer of InviteIssue. Pure. */
export function parseIssued(data: Json): IssuedInvite {
  if (!isJsonObject(data)) throw shapeError('InviteIssue');
  const { token, group, remaining_uses: uses, expires_at_epoch, metadata } = data;
  if (typeof token !== 'string' || typeof group !== 'string' || typeof uses !== 'number')
    throw shapeError('InviteIssue');
  return {
    token,
    group,
    remaining_uses: uses,
    expires_at_epoch: optionalEpoch(expires_at_epoch, 'InviteIssue'),
    metadata: isJsonObject(metadata) ? metadata : null,
  };
}

/** The two lines `invite issue` prints. Pure. */
export function issuedLines(invite: IssuedInvite): [string, string] {
  return [
    `issued ${invite.token} (group: ${invite.group}, uses: ${invite.remaining_uses}, metadata: ${metadataLabel(invite.metadata)})`,
    invite.expires_at_epoch === null
      ? 'never expires'
      : `expires at unix epoch ${invite.expires_at_epoch}`,
  ];
}

export interface RedeemedInvite {
  readonly principal: PrincipalId;
  readonly group: string;
  readonly public_key_fingerprint: string;
}

/** The `InviteRedeemed` answer. Pure. */
export function parseRedeemed(data: Json): RedeemedInvite {
  if (!isJsonObject(data)) throw shapeError('InviteRedeem');
  const { principal, group, public_key_fingerprint: fp } = data;
  if (typeof group !== 'string' || typeof fp !== 'string') throw shapeError('InviteRedeem');
  return { principal: principalOf(principal, 'InviteRedeem'), group, public_key_fingerprint: fp };
}

export interface ListedInvite {
  readonly token_fingerprint: string;
  readonly group: string;
  readonly remaining_uses: number;
  readonly expires_at_epoch: number | null;
  readonly issued_at_epoch: number;
  readonly metadata: Json | null;
}

/** The `InviteList` answer. Pure. */
export function parseInviteList(data: Json): ListedInvite[] {
  if (!Array.isArray(data)) throw shapeError('InviteList');
  return data.map((row) => {
    if (!isJsonObject(row)) throw shapeError('InviteList');
    const { token_fingerprint: fp, group, remaining_uses: uses, issued_at_epoch: issued } = row;
    if (
      typeof fp !== 'string' ||
      typeof group !== 'string' ||
      typeof uses !== 'number' ||
      typeof issued !== 'number'
    )
      throw shapeError('InviteList');
    return {
      token_fingerprint: fp,
      group,
      remaining_uses: uses,
      expires_at_epoch: optionalEpoch(row.expires_at_epoch, 'InviteList'),
      issued_at_epoch: issued,
      metadata: row.metadata ?? null,
    };
  });
}

/** Headers and rows of `invite list`. Pure. */
export function inviteTable(invites: readonly ListedInvite[]): {
  headers: string[];
  rows: string[][];
} {
  return {
    headers: ['FINGERPRINT', 'GROUP', 'USES', 'EXPIRES', 'LABEL'],
    rows: invites.map((i) => [
      i.token_fingerprint,
      i.group,
      String(i.remaining_uses),
      i.expires_at_epoch === null ? 'never' : isoFromEpoch(i.expires_at_epoch),
      metadataLabel(i.metadata),
    ]),
  };
}
