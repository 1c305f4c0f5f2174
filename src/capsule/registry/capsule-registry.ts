import { randomUUID } from 'node:crypto';
import { AstridError } from '../../core/errors.js';
import type { CapsuleId } from '../../core/ids/capsule-id.js';
import type { CapsuleCapabilityRegistry } from '../engines/wasm/host/capsule-host.js';
import type { UplinkProfile } from '../manifest/manifest.js';
import { heldCapabilityNames } from '../manifest/manifest-views.js';
import { alreadyRegistered, type LoadedCapsule } from './loaded-capsule.js';

export interface UplinkDescriptor {
  readonly id: string;
  readonly capsuleId: CapsuleId;
  readonly name: string;
  readonly platform: string;
  readonly profile: UplinkProfile;
}

/**
 * The loaded capsules: id → capsule, each WASM engine's session UUID →
 * capsule id, and the uplinks capsules declare. Listing order is the boot
 * order. Capability questions about a session UUID are answered only for
 * registered capsules, so an engine in mid-load holds nothing (fail closed).
 */
export class CapsuleRegistry implements CapsuleCapabilityRegistry {
  private readonly capsules = new Map<CapsuleId, LoadedCapsule>();
  private readonly uuids = new Map<string, CapsuleId>();
  private readonly uplinks = new Map<string, UplinkDescriptor>();
  private readonly listeners: (() => void)[] = [];

  register(capsule: LoadedCapsule): void {
    if (this.capsules.has(capsule.id)) throw alreadyRegistered(capsule.id);
    this.capsules.set(capsule.id, capsule);
    if (capsule.sessionUuid !== null) this.uuids.set(capsule.sessionUuid, capsule.id);
    for (const u of capsule.manifest.uplinks) {
      const id = randomUUID();
      this.uplinks.set(id, {
        id,
        capsuleId: capsule.id,
        name: u.name,
        platform: u.platform,
        profile: u.profile,
      });
    }
    this.changed();
  }

  /** Removes a capsule with its uplinks and session UUIDs; returns it. */
  unregister(id: CapsuleId): LoadedCapsule {
    const capsule = this.capsules.get(id);
    if (capsule === undefined) throw new AstridError('not-found', `capsule ${id} is not loaded`);
    this.capsules.delete(id);
    for (const [uuid, owner] of this.uuids) if (owner === id) this.uuids.delete(uuid);
    for (const [uplink, d] of this.uplinks) if (d.capsuleId === id) this.uplinks.delete(uplink);
    this.changed();
    return capsule;
  }

  get(id: CapsuleId): LoadedCapsule | undefined {
    return this.capsules.get(id);
  }

  has(id: CapsuleId): boolean {
    return this.capsules.has(id);
  }

  /** Loaded capsules in boot order. */
  list(): LoadedCapsule[] {
    return [...this.capsules.values()].sort(
      (a, b) => a.bootIndex - b.bootIndex || (a.id < b.id ? -1 : 1),
    );
  }

  get size(): number {
    return this.capsules.size;
  }

  findByUuid(sessionUuid: string): LoadedCapsule | undefined {
    const id = this.uuids.get(sessionUuid);
    return id === undefined ? undefined : this.capsules.get(id);
  }

  heldCapabilities(sessionUuid: string): readonly string[] | undefined {
    const capsule = this.findByUuid(sessionUuid);
    return capsule === undefined ? undefined : heldCapabilityNames(capsule.manifest.capabilities);
  }

  uplinkDescriptors(): UplinkDescriptor[] {
    return [...this.uplinks.values()].sort((a, b) =>
      a.capsuleId < b.capsuleId ? -1 : a.capsuleId > b.capsuleId ? 1 : a.name < b.name ? -1 : 1,
    );
  }

  /** Whether any loaded capsule declares `[[uplink]]`s (the daemon then never idles out). */
  hasUplinks(): boolean {
    return this.uplinks.size > 0;
  }

  /** Called after every register/unregister (the dispatcher rebuilds its routing table). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Announces a state change of a registered capsule. */
  changed(): void {
    for (const l of this.listeners) l();
  }
}
