import type { Json } from '../../events/json.js';

/** The bus topics the prompt stream listens to, by the SSE event each becomes. */
export const AGENT_STREAM_TOPICS = {
  response: 'agent.v1.response',
  delta: 'agent.v1.stream.delta',
  session_changed: 'agent.v1.session_changed',
  elicit: 'astrid.v1.elicit',
} as const;

export type AgentStreamEvent = keyof typeof AGENT_STREAM_TOPICS;

/** Where a prompt is published. */
export const PROMPT_TOPIC = 'user.v1.prompt';

const EVENT_BY_TOPIC = new Map<string, AgentStreamEvent>(
  Object.entries(AGENT_STREAM_TOPICS).map(([event, topic]) => [topic, event as AgentStreamEvent]),
);

/** What the stream does with one bus message. */
export interface AgentStreamStep {
  readonly event: AgentStreamEvent;
  readonly data: Json;
  /** The stream closes after sending this event. */
  readonly ends: boolean;
}

function field(body: Json, key: string): Json | undefined {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? body[key] : undefined;
}

/**
 * Decides whether a bus message belongs on the prompt stream of `sessionId`
 * (spec §1.9): elicitations pass unfiltered; responses, deltas and session
 * changes are dropped when they carry a string `session_id` other than ours
 * (payloads without one pass). A forwarded response ends the stream unless
 * it says `is_final: false`. Pure.
 */
export function agentStreamStep(
  topic: string,
  body: Json,
  sessionId: string,
): AgentStreamStep | null {
  const event = EVENT_BY_TOPIC.get(topic);
  if (event === undefined) return null;
  if (event !== 'elicit') {
    const session = field(body, 'session_id');
    if (typeof session === 'string' && session !== sessionId) return null;
  }
  return { event, data: body, ends: event === 'response' && field(body, 'is_final') !== false };
}

/** A blank or missing session id gets a fresh one. Pure apart from `fresh`. */
export function promptSessionId(given: string | undefined, fresh: () => string): string {
  return given === undefined || given.trim().length === 0 ? fresh() : given;
}
