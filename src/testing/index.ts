/**
 * `astrid/testing` (re-exported as `@astrid/sdk/testing`): run a capsule
 * under the real engine from a capsule author's own tests, without a daemon.
 */
export type { BuildStep } from '../sdk-build/build-capsule.js';
export type { CapsuleKv } from './capsule-kv.js';
export type { CapsuleLogLine } from './capsule-logs.js';
export type { Invocation } from './invocation-tracker.js';
export { DEFAULT_TIMEOUT_MS, type LoadCapsuleOptions, loadCapsule } from './load-capsule.js';
export type {
  BuiltComponent,
  DispatchReport,
  PublishedMessage,
  PublishOptions,
  TestCapsule,
  ToolCallOptions,
  WaitOptions,
} from './test-capsule.js';
export type { ToolDescriptor, ToolResult } from './tool-protocol.js';
