/// <reference path="./wit/astrid-uplink-host.d.ts" />
import * as wit from 'astrid:uplink/host@1.0.0';
import { host } from './errors.js';

/*
 * Uplink capsules (`uplink = true`) bridge a platform (a chat service, a
 * CLI) to the agent: they register an uplink and inject what platform users
 * send. Errors are `HostError`s: `capability-denied`, `invalid-input`,
 * `unknown-uplink`, `no-session` (the platform user is not linked to an
 * Astrid user), `quota`.
 */

const IFACE = 'astrid:uplink/host';

export type Profile = wit.UplinkProfile;

/** Queues `content` from platform user `platformUserId`; false when the inbound queue is full. */
export function send(uplinkId: string, platformUserId: string, content: string): boolean {
  return host(IFACE, () => wit.uplinkSend(uplinkId, platformUserId, content));
}

/** A registered uplink. */
export class Uplink {
  readonly id: string;
  readonly name: string;
  readonly platform: string;

  constructor(id: string, name: string, platform: string) {
    this.id = id;
    this.name = name;
    this.platform = platform;
  }

  /** Queues a message from a platform user; false when the inbound queue is full. */
  send(platformUserId: string, content: string): boolean {
    return send(this.id, platformUserId, content);
  }
}

/**
 * Registers an uplink (at most 32 per capsule; the (name, platform) pair
 * must be new). The platform is trimmed and lowercased by the host.
 */
export function register(name: string, platform: string, profile: Profile = 'chat'): Uplink {
  const id = host(IFACE, () => wit.uplinkRegister(name, platform, profile));
  return new Uplink(id, name, platform.trim().toLowerCase());
}
