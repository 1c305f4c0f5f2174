import type { CapsuleManifest } from '../../capsule/manifest/manifest.js';

/** One topic a capsule declares in its manifest. */
export interface CapsuleTopicView {
  readonly topic: string;
  readonly direction: 'publish' | 'subscribe';
  /** The payload schema: a local record name, `@scope/repo/iface/record`, or `opaque`. */
  readonly wit: string;
  /** Publish: whether it fans out to every subscriber. */
  readonly fanout?: boolean;
  /** Subscribe: the interceptor action bound to it, if any. */
  readonly handler?: string | null;
  /** Subscribe: interceptor priority (lower fires first), when it has a handler. */
  readonly priority?: number | null;
}

/** The declared `[publish]` then `[subscribe]` topics, each in manifest order. Pure. */
export function capsuleTopics(manifest: CapsuleManifest): CapsuleTopicView[] {
  return [
    ...manifest.publish.map(
      (p): CapsuleTopicView => ({
        topic: p.topic,
        direction: 'publish',
        wit: p.wit,
        fanout: p.fanout,
      }),
    ),
    ...manifest.subscribe.map(
      (s): CapsuleTopicView => ({
        topic: s.topic,
        direction: 'subscribe',
        wit: s.wit,
        handler: s.handler,
        priority: s.priority,
      }),
    ),
  ];
}
