import { randomUUID } from 'node:crypto';
import { checkPrincipalId, type PrincipalId } from '../../../../core/ids/principal-id.js';
import { ipcEvent } from '../../../../events/astrid-event.js';
import { ipcMessage } from '../../../../events/ipc-message.js';
import type { UplinkProfile } from '../../../manifest/manifest.js';
import type { HostFunction } from './host-dispatcher.js';
import { HostError } from './host-error.js';
import type { InstanceState } from './instance-state.js';

const UPLINK = 'astrid:uplink/host@1.0.0';
export const UPLINK_INBOUND_TOPIC = 'astrid.v1.uplink.inbound';
export const MAX_UPLINKS = 32;
export const MAX_UPLINK_CONTENT_BYTES = 1024 * 1024;
const PROFILES: readonly UplinkProfile[] = ['chat', 'interactive', 'notify', 'bridge'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RuntimeUplink {
  readonly id: string;
  readonly name: string;
  readonly platform: string;
  readonly profile: UplinkProfile;
}

/** Uplinks a capsule registered at runtime (at most 32; name + platform unique). */
export class UplinkBook {
  private readonly byId = new Map<string, RuntimeUplink>();

  list(): RuntimeUplink[] {
    return [...this.byId.values()];
  }

  get(id: string): RuntimeUplink | undefined {
    return this.byId.get(id.toLowerCase());
  }

  add(name: string, platform: string, profile: UplinkProfile): RuntimeUplink {
    if (this.byId.size >= MAX_UPLINKS)
      throw new HostError('quota', `at most ${MAX_UPLINKS} uplinks per capsule`);
    if ([...this.byId.values()].some((u) => u.name === name && u.platform === platform)) {
      throw new HostError(
        'invalid-input',
        `an uplink named ${name} on ${platform} is already registered`,
      );
    }
    const uplink = { id: randomUUID(), name, platform, profile };
    this.byId.set(uplink.id, uplink);
    return uplink;
  }
}

function requireUplink(state: InstanceState): void {
  if (!state.host.manifest.capabilities.uplink)
    throw new HostError('capability-denied', 'uplink functions need capabilities.uplink = true');
}

/**
 * `astrid:uplink/host`. `uplink-send` hands a platform user's message to the
 * kernel, which publishes it on `astrid.v1.uplink.inbound` as the Astrid
 * principal linked to that platform user (asserted by the uplink, so
 * `claimed`); a platform user with no linked principal gets `no-session`.
 * Delivery is a bus publish — never a queue that silently fills up.
 */
export const UPLINK_HOST: ReadonlyArray<readonly [string, HostFunction]> = [
  [
    `${UPLINK}#uplinkRegister`,
    (state, args) => {
      requireUplink(state);
      const name = typeof args[0] === 'string' ? args[0].trim() : '';
      const platform = typeof args[1] === 'string' ? args[1].trim().toLowerCase() : '';
      const profile = args[2] as UplinkProfile;
      if (name.length === 0 || platform.length === 0)
        throw new HostError('invalid-input', 'name and platform must not be blank');
      if (platform.includes('/') || platform.includes('\0'))
        throw new HostError('invalid-input', "platform must not contain '/' or NUL");
      if (!PROFILES.includes(profile))
        throw new HostError('invalid-profile', `profile must be one of ${PROFILES.join(', ')}`);
      const id = state.host.capsuleId;
      if (id.startsWith('-') || id.endsWith('-')) {
        throw new HostError(
          'unknown',
          'capsule ids with a leading or trailing "-" cannot own uplinks',
          'invalid uplink source',
        );
      }
      const uplink = state.host.uplinks.add(name, platform, profile);
      state.host.logger.info(
        { capsule: id, uplink: uplink.id, name, platform, profile },
        'uplink registered',
      );
      return uplink.id;
    },
  ],
  [
    `${UPLINK}#uplinkSend`,
    (state, args) => {
      requireUplink(state);
      const uplinkId = typeof args[0] === 'string' ? args[0] : '';
      if (uplinkId.length > 64 || !UUID.test(uplinkId))
        throw new HostError('invalid-input', 'uplink-id must be the id uplink-register returned');
      const uplink = state.host.uplinks.get(uplinkId);
      if (uplink === undefined)
        throw new HostError(
          'unknown-uplink',
          `no uplink ${uplinkId} is registered by this capsule`,
        );
      const platformUserId = typeof args[1] === 'string' ? args[1].trim() : '';
      if (
        platformUserId.length === 0 ||
        platformUserId.includes('/') ||
        platformUserId.includes('\0')
      ) {
        throw new HostError(
          'invalid-input',
          "platform-user-id must not be blank or contain '/' or NUL",
        );
      }
      const content = String(args[2] ?? '');
      if (Buffer.byteLength(content) > MAX_UPLINK_CONTENT_BYTES)
        throw new HostError(
          'invalid-input',
          `content is at most ${MAX_UPLINK_CONTENT_BYTES} bytes`,
        );
      const identity = state.host.services.identity;
      const link = identity.resolve(uplink.platform, platformUserId);
      const user = link === null ? null : identity.getUser(link.astrid_user_id);
      const principal = user === null ? null : checkPrincipalId(user.principal);
      if (principal === null || !principal.ok) {
        throw new HostError(
          'no-session',
          `${uplink.platform} user ${platformUserId} is not linked to an Astrid principal`,
        );
      }
      const who: PrincipalId = principal.value;
      state.host.bus.publish(
        ipcEvent(
          ipcMessage({
            topic: UPLINK_INBOUND_TOPIC,
            payload: {
              type: 'user_input',
              text: content,
              session_id: `${uplink.platform}:${platformUserId}`,
              context: {
                uplink_id: uplink.id,
                uplink_name: uplink.name,
                platform: uplink.platform,
                platform_user_id: platformUserId,
                capsule_id: state.host.capsuleId,
              },
            },
            sourceId: state.host.sessionUuid,
            principal: who,
            claimed: true,
          }),
          'wasm_guest',
          state.host.sessionUuid,
        ),
      );
      return true;
    },
  ],
];
