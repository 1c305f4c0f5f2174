export {
  type CapsuleDefinition,
  defineCapsule,
  exportsNeeded,
  type InterceptEvent,
  type Interceptor,
  TOOL_DESCRIBE_ACTION,
  TOOL_EXECUTE_ACTION,
  type ToolCall,
  type ToolDefinition,
  type Verdict,
  verdict,
} from './capsule.js';
export { HostError, isHostError } from './errors.js';
export { TOOL_DESCRIBE_RESPONSE_TOPIC, toolResultTopic } from './exports.js';
export * as ipc from './ipc.js';
export type { JsonObject, JsonValue } from './json.js';
export { kv } from './kv.js';
export { log } from './log.js';
export { type Caller, caller, capabilities, env, randomBytes, ready, time } from './runtime.js';
