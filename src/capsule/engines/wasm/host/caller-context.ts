import type { IpcMessage } from '../../../../events/ipc-message.js';

/** The message behind the current work (interceptor call or run-loop batch). */
export interface CallerContext {
  /** Raw principal string from the message (null = system). */
  readonly principal: string | null;
  readonly sourceId: string;
  /** Milliseconds since the epoch. */
  readonly timestampMs: number;
  /** The tool call this work belongs to (`tool_execute_request.call_id`), if any. */
  readonly callId: string | null;
}

export function callerFromMessage(m: IpcMessage): CallerContext {
  return {
    principal: m.principal,
    sourceId: m.sourceId,
    timestampMs: m.timestampMs,
    callId: m.payload.type === 'tool_execute_request' ? m.payload.call_id : null,
  };
}

/** RFC 3339 UTC with `+00:00`, as `get-caller` reports it. */
export function callerTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}
