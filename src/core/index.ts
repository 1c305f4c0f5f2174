/**
 * The pure domain layer: identifiers, topics, capabilities, groups, profiles,
 * quotas, version requirements and typed errors. No I/O, no imports from any
 * other `src/` layer.
 */
export * from './capabilities/capability-catalog.js';
export * from './capabilities/capability-check.js';
export * from './capabilities/capability-grammar.js';
export * from './capabilities/special-capabilities.js';
export * from './errors.js';
export * from './groups/group.js';
export * from './groups/group-config.js';
export * from './ids/capsule-id.js';
export * from './ids/principal-id.js';
export * from './ids/principal-key.js';
export * from './logger.js';
export * from './profiles/profile.js';
export * from './profiles/quotas.js';
export * from './semver/version.js';
export * from './semver/version-requirement.js';
export * from './topics/dispatch-matcher.js';
export * from './topics/route-matcher.js';
export * from './topics/topic-syntax.js';
export * from './utf8.js';
export * from './version.js';
