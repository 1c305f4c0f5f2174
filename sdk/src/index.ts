export * as approval from './approval.js';
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
export { dispose as release } from './dispose.js';
export * as elicit from './elicit.js';
export { HostError, isHostError } from './errors.js';
export { TOOL_DESCRIBE_RESPONSE_TOPIC, toolResultTopic } from './exports.js';
export * as fs from './fs.js';
export * as http from './http.js';
export * as identity from './identity.js';
export * as ipc from './ipc.js';
export { fromUtf8, type JsonObject, type JsonValue, utf8 } from './json.js';
export { kv } from './kv.js';
export { log } from './log.js';
export * as net from './net.js';
export * as process from './process.js';
export { type Caller, caller, capabilities, env, randomBytes, ready, time } from './runtime.js';
export * as io from './streams.js';
export * as uplink from './uplink.js';
