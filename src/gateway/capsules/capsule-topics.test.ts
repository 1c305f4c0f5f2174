import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../capsule/manifest/parse-manifest.js';
import { capsuleTopics } from './capsule-topics.js';

describe('capsuleTopics', () => {
  it('lists declared publish then subscribe topics', () => {
    const { manifest, errors } = parseManifest(`
[package]
name = "weather"
version = "1.0.0"

[publish]
"weather.v1.report" = "opaque"

[subscribe]
"weather.v1.request" = { wit = "opaque", handler = "on_request", priority = 5 }
"weather.v1.tick" = "opaque"
`);
    expect(errors).toEqual([]);
    if (manifest === null) return;
    expect(capsuleTopics(manifest)).toEqual([
      { topic: 'weather.v1.report', direction: 'publish', wit: 'opaque', fanout: false },
      {
        topic: 'weather.v1.request',
        direction: 'subscribe',
        wit: 'opaque',
        handler: 'on_request',
        priority: 5,
      },
      {
        topic: 'weather.v1.tick',
        direction: 'subscribe',
        wit: 'opaque',
        handler: null,
        priority: null,
      },
    ]);
  });
});
