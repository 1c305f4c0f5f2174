import { randomUUID } from 'node:crypto';
import { AstridError } from '../../core/errors.js';
import { DEFAULT_PRINCIPAL, isPrincipalId } from '../../core/ids/principal-id.js';
import type { KvStore, ScopedKv } from '../kv/kv-store.js';

export const IDENTITY_NAMESPACE = 'system:identity';

export interface AstridUser {
  readonly id: string;
  readonly principal: string;
  readonly public_key: string | null;
  readonly display_name?: string;
  readonly created_at: string;
}

export interface FrontendLink {
  readonly platform: string;
  readonly platform_user_id: string;
  readonly astrid_user_id: string;
  readonly linked_at: string;
  readonly method: string;
}

/** A principal id derived from a display name: lowercase, `[a-z0-9_-]`, dashes collapsed, ≤ 64 chars. */
export function principalFromDisplayName(name: string, userId: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/g, '');
  return slug.length > 0 && isPrincipalId(slug) ? slug : `user-${userId.slice(0, 8)}`;
}

function checkSegment(what: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw new AstridError('invalid-input', `${what} must not be blank`);
  if (value.includes('/') || value.includes('\0')) {
    throw new AstridError('invalid-input', `${what} must not contain '/' or NUL`);
  }
  return trimmed;
}

/**
 * Users and their front-end links (`cli/<principal>`, `discord/<id>`, …) in
 * the `system:identity` KV namespace: `user/<uuid>`, `link/<platform>/<id>`,
 * `name/<display name>`.
 */
export class IdentityStore {
  private readonly kv: ScopedKv;

  constructor(store: KvStore) {
    this.kv = store.scoped(IDENTITY_NAMESPACE);
  }

  createUser(displayName?: string): AstridUser {
    if (displayName !== undefined && (displayName.includes('/') || displayName.includes('\0'))) {
      throw new AstridError('invalid-input', "a user name must not contain '/' or NUL");
    }
    const id = randomUUID();
    const name = displayName?.trim();
    const user: AstridUser = {
      id,
      principal:
        name === undefined || name.length === 0
          ? DEFAULT_PRINCIPAL
          : principalFromDisplayName(name, id),
      public_key: null,
      ...(name === undefined || name.length === 0 ? {} : { display_name: name }),
      created_at: new Date().toISOString(),
    };
    this.kv.setJson(`user/${id}`, user);
    if (name !== undefined && name.length > 0) this.kv.set(`name/${name}`, Buffer.from(id, 'utf8'));
    return user;
  }

  getUser(id: string): AstridUser | null {
    return this.kv.getJson<AstridUser>(`user/${id}`);
  }

  getUserByName(name: string): AstridUser | null {
    const id = this.kv.get(`name/${name.trim()}`);
    return id === null ? null : this.getUser(Buffer.from(id).toString('utf8'));
  }

  listUsers(): AstridUser[] {
    return this.kv
      .listKeysWithPrefix('user/')
      .map((k) => this.kv.getJson<AstridUser>(k))
      .filter((u): u is AstridUser => u !== null);
  }

  /** Whether the user existed; its name entry goes with it (links are left to the caller). */
  deleteUser(id: string): boolean {
    const user = this.getUser(id);
    if (user === null) return false;
    this.kv.delete(`user/${id}`);
    if (user.display_name !== undefined) {
      const named = this.kv.get(`name/${user.display_name}`);
      if (named !== null && Buffer.from(named).toString('utf8') === id)
        this.kv.delete(`name/${user.display_name}`);
    }
    return true;
  }

  link(platform: string, platformUserId: string, userId: string, method: string): FrontendLink {
    const p = checkSegment('platform', platform).toLowerCase();
    const pid = checkSegment('platform user id', platformUserId);
    if (this.getUser(userId) === null) throw new AstridError('not-found', `no user ${userId}`);
    const link: FrontendLink = {
      platform: p,
      platform_user_id: pid,
      astrid_user_id: userId,
      linked_at: new Date().toISOString(),
      method,
    };
    this.kv.setJson(`link/${p}/${pid}`, link);
    return link;
  }

  resolve(platform: string, platformUserId: string): FrontendLink | null {
    return this.kv.getJson<FrontendLink>(
      `link/${platform.trim().toLowerCase()}/${platformUserId.trim()}`,
    );
  }

  unlink(platform: string, platformUserId: string): boolean {
    return this.kv.delete(`link/${platform.trim().toLowerCase()}/${platformUserId.trim()}`);
  }

  listLinks(): FrontendLink[] {
    return this.kv
      .listKeysWithPrefix('link/')
      .map((k) => this.kv.getJson<FrontendLink>(k))
      .filter((l): l is FrontendLink => l !== null);
  }
}
