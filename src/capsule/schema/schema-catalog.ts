import type { CapsuleId } from '../../core/ids/capsule-id.js';
import type { Logger } from '../../core/logger.js';
import type { CapsuleManifest } from '../manifest/manifest.js';

export interface TopicSchema {
  readonly topic: string;
  readonly capsuleId: CapsuleId;
  /** The WIT record reference (`opaque`, a local name, or `@scope/repo/iface/record`). */
  readonly wit: string;
}

/**
 * One kernel-wide catalogue of the topics capsules declare and the WIT types
 * they carry (`[publish]` then `[subscribe]`; a topic in both with different
 * types keeps the subscribe type, with a warning). A capsule's topics leave
 * the catalogue when it unloads.
 */
export class SchemaCatalog {
  private readonly byTopic = new Map<string, TopicSchema>();
  private readonly logger: Logger;

  constructor(logger: Logger) {
    this.logger = logger;
  }

  register(manifest: CapsuleManifest): void {
    const id = manifest.package.name;
    for (const p of manifest.publish)
      this.byTopic.set(p.topic, { topic: p.topic, capsuleId: id, wit: p.wit });
    for (const s of manifest.subscribe) {
      const known = this.byTopic.get(s.topic);
      if (known !== undefined && known.capsuleId === id && known.wit !== s.wit) {
        this.logger.warn(
          { capsule: id, topic: s.topic, publish: known.wit, subscribe: s.wit },
          'topic declared with two different types; using the subscribe type',
        );
      }
      this.byTopic.set(s.topic, { topic: s.topic, capsuleId: id, wit: s.wit });
    }
  }

  unregister(capsuleId: CapsuleId): void {
    for (const [topic, entry] of this.byTopic)
      if (entry.capsuleId === capsuleId) this.byTopic.delete(topic);
  }

  get(topic: string): TopicSchema | undefined {
    return this.byTopic.get(topic);
  }

  /** Every entry, sorted by topic. */
  list(): TopicSchema[] {
    return [...this.byTopic.values()].sort((a, b) => (a.topic < b.topic ? -1 : 1));
  }
}
