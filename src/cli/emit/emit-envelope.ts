import type { JsonObject } from '../../events/json.js';
import type { EmitEnv } from './emit-env.js';

/** The hook name: the last dot-separated segment of the topic. Pure. */
export function hookName(topic: string): string {
  const dot = topic.lastIndexOf('.');
  return dot < 0 ? topic : topic.slice(dot + 1);
}

/**
 * The raw_json body `astrid-emit` publishes: exactly these six fields, the
 * hook's stdin as text (not base64). Pure.
 */
export function emitEnvelope(topic: string, stdinText: string, env: EmitEnv): JsonObject {
  return {
    hook: hookName(topic),
    payload: stdinText,
    correlation_id: null,
    principal_id: env.principalId,
    session_id: env.sessionId,
    token: env.token,
  };
}
