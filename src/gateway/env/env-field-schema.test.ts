import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../capsule/manifest/parse-manifest.js';
import { envFieldSchemas } from './env-field-schema.js';

describe('envFieldSchemas', () => {
  it("reads each field's type (not env_type) with its optional keys", () => {
    const { manifest } = parseManifest(`
[package]
name = "weather"
version = "1.0.0"

[env.API_KEY]
type = "Secret"
description = "Provider key"
request = "Paste your key"

[env.REGION]
type = "select"
enum_values = ["eu", "us"]
default = "eu"

[env.TAGS]
type = "array"
placeholder = "tag"

[env.PORT]
type = "text"
default = 8080
`);
    expect(manifest).not.toBeNull();
    if (manifest === null) return;
    expect(envFieldSchemas(manifest)).toEqual({
      API_KEY: { type: 'secret', description: 'Provider key', request: 'Paste your key' },
      PORT: { type: 'text', default: '8080' },
      REGION: { type: 'select', default: 'eu', enum_values: ['eu', 'us'] },
      TAGS: { type: 'array', placeholder: 'tag' },
    });
  });
});
