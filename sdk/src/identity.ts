/// <reference path="./wit/astrid-identity-host.d.ts" />
import * as wit from 'astrid:identity/host@1.0.0';
import { host } from './errors.js';

/*
 * The system-wide mapping of platform accounts (a Discord id, a Slack id)
 * to Astrid users. The manifest's `identity` list gates it: `resolve` <
 * `link` (link, unlink, links) < `admin` (createUser). Errors are
 * `HostError`s: `capability-denied`, `invalid-input`, `user-not-found`,
 * `link-not-found`, `already-linked`, `store-unavailable`.
 */

const IFACE = 'astrid:identity/host';

export type User = {
  readonly userId: string;
  readonly displayName: string | null;
};

export type PlatformLink = {
  readonly platform: string;
  readonly platformUserId: string;
  /** RFC 3339. */
  readonly linkedAt: string;
  /** How the link was established (e.g. `oauth`, `admin`). */
  readonly method: string;
};

/** The Astrid user a platform account is linked to (`link-not-found` when none). */
export function resolve(platform: string, platformUserId: string): User {
  const r = host(IFACE, () => wit.identityResolve({ platform, platformUserId }));
  return { userId: r.userId, displayName: r.displayName ?? null };
}

/** Links a platform account to an existing user (`already-linked` if it is linked to another). */
export function link(request: {
  readonly platform: string;
  readonly platformUserId: string;
  readonly userId: string;
  readonly method: string;
}): void {
  host(IFACE, () =>
    wit.identityLink({
      platform: request.platform,
      platformUserId: request.platformUserId,
      astridUserId: request.userId,
      method: request.method,
    }),
  );
}

/** Removes a link (`link-not-found` when there is none). */
export function unlink(platform: string, platformUserId: string): void {
  host(IFACE, () => wit.identityUnlink({ platform, platformUserId }));
}

/** Creates a user and returns its id (a UUID). */
export function createUser(displayName?: string): string {
  return host(IFACE, () => wit.identityCreateUser({ displayName })).userId;
}

/** The platform accounts linked to a user. */
export function links(userId: string): PlatformLink[] {
  return host(IFACE, () => wit.identityListLinks(userId)).map((l) => ({
    platform: l.platform,
    platformUserId: l.platformUserId,
    linkedAt: l.linkedAt,
    method: l.method,
  }));
}
