import { isAstridError } from '../../../../core/errors.js';
import type { IdentityLevel } from '../../../manifest/manifest.js';
import type { HostFunction } from './host-dispatcher.js';
import { HostError } from './host-error.js';
import type { InstanceState } from './instance-state.js';

const ID = 'astrid:identity/host@1.0.0';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The manifest's `identity` list is a hierarchy: admin ⊇ link ⊇ resolve. */
function gate(state: InstanceState, need: IdentityLevel, fn: string): void {
  const held = state.host.manifest.capabilities.identity;
  const order: IdentityLevel[] = ['resolve', 'link', 'admin'];
  const ok = held.some((h) => order.indexOf(h) >= order.indexOf(need));
  if (!ok)
    throw new HostError(
      'capability-denied',
      `${fn} needs identity = ["${need}"] (or higher) in the capsule's capabilities`,
    );
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim().length === 0)
    throw new HostError('invalid-input', `${what} must not be blank`);
  if (value.includes('/') || value.includes('\0'))
    throw new HostError('invalid-input', `${what} must not contain '/' or NUL`);
  return value;
}

function uuid(value: unknown, what: string): string {
  if (typeof value !== 'string' || !UUID.test(value))
    throw new HostError('invalid-input', `${what} must be a user id (UUID)`);
  return value.toLowerCase();
}

async function op<T>(state: InstanceState, fn: string, body: () => T): Promise<T> {
  try {
    const out = await state.host.services.blocking.run(body);
    state.host.logger.debug(
      {
        audit: 'astrid.audit.identity',
        capsule_id: state.host.capsuleId,
        principal: state.effectivePrincipal,
        fn: `${ID}.${fn}`,
      },
      'host call',
    );
    return out;
  } catch (e) {
    if (e instanceof HostError) throw e;
    if (isAstridError(e, 'not-found')) throw new HostError('user-not-found', e.message);
    if (isAstridError(e, 'invalid-input')) throw new HostError('invalid-input', e.message);
    throw new HostError('store-unavailable', 'the identity store failed');
  }
}

/** `astrid:identity/host`: the system-wide user and link store. */
export const IDENTITY_HOST: ReadonlyArray<readonly [string, HostFunction]> = [
  [
    `${ID}#identityResolve`,
    (state, args) => {
      const req = (args[0] ?? {}) as { platform?: unknown; platformUserId?: unknown };
      const platform = text(req.platform, 'platform');
      const id = text(req.platformUserId, 'platform-user-id');
      gate(state, 'resolve', 'identity-resolve');
      return op(state, 'identity-resolve', () => {
        const store = state.host.services.identity;
        const link = store.resolve(platform, id);
        const user = link === null ? null : store.getUser(link.astrid_user_id);
        if (link === null || user === null)
          throw new HostError(
            'link-not-found',
            `no user is linked to ${platform.trim().toLowerCase()}/${id.trim()}`,
          );
        return { userId: user.id, displayName: user.display_name };
      });
    },
  ],
  [
    `${ID}#identityLink`,
    (state, args) => {
      const req = (args[0] ?? {}) as {
        platform?: unknown;
        platformUserId?: unknown;
        astridUserId?: unknown;
        method?: unknown;
      };
      const userId = uuid(req.astridUserId, 'astrid-user-id');
      const platform = text(req.platform, 'platform');
      const id = text(req.platformUserId, 'platform-user-id');
      if (typeof req.method !== 'string' || req.method.trim().length === 0)
        throw new HostError('invalid-input', 'method must not be blank');
      const method = req.method.trim();
      gate(state, 'link', 'identity-link');
      return op(state, 'identity-link', () => {
        const store = state.host.services.identity;
        if (store.getUser(userId) === null)
          throw new HostError('user-not-found', `no user ${userId}`);
        const existing = store.resolve(platform, id);
        if (existing !== null && existing.astrid_user_id !== userId) {
          throw new HostError(
            'already-linked',
            `${platform.trim().toLowerCase()}/${id.trim()} is linked to another user`,
          );
        }
        store.link(platform, id, userId, method);
        return undefined;
      });
    },
  ],
  [
    `${ID}#identityUnlink`,
    (state, args) => {
      const req = (args[0] ?? {}) as { platform?: unknown; platformUserId?: unknown };
      const platform = text(req.platform, 'platform');
      const id = text(req.platformUserId, 'platform-user-id');
      gate(state, 'link', 'identity-unlink');
      return op(state, 'identity-unlink', () => {
        if (!state.host.services.identity.unlink(platform, id)) {
          throw new HostError(
            'link-not-found',
            `no link for ${platform.trim().toLowerCase()}/${id.trim()}`,
          );
        }
        return undefined;
      });
    },
  ],
  [
    `${ID}#identityCreateUser`,
    (state, args) => {
      const req = (args[0] ?? {}) as { displayName?: unknown };
      const name =
        req.displayName === undefined || req.displayName === null ? undefined : req.displayName;
      if (
        name !== undefined &&
        (typeof name !== 'string' || name.includes('/') || name.includes('\0'))
      ) {
        throw new HostError('invalid-input', "display-name must not contain '/' or NUL");
      }
      gate(state, 'admin', 'identity-create-user');
      return op(state, 'identity-create-user', () => ({
        userId: state.host.services.identity.createUser(name).id,
      }));
    },
  ],
  [
    `${ID}#identityListLinks`,
    (state, args) => {
      const userId = uuid(args[0], 'astrid-user-id');
      gate(state, 'link', 'identity-list-links');
      return op(state, 'identity-list-links', () => {
        const store = state.host.services.identity;
        if (store.getUser(userId) === null)
          throw new HostError('user-not-found', `no user ${userId}`);
        return store
          .listLinks()
          .filter((l) => l.astrid_user_id === userId)
          .map((l) => ({
            platform: l.platform,
            platformUserId: l.platform_user_id,
            linkedAt: l.linked_at,
            method: l.method,
          }));
      });
    },
  ],
];
