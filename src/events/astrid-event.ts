import { randomUUID } from 'node:crypto';
import type { IpcMessage } from './ipc-message.js';
import type { Json } from './json.js';

export interface EventMetadata {
  readonly eventId: string;
  readonly timestampMs: number;
  readonly correlationId: string | null;
  readonly sessionId: string | null;
  readonly source: string;
}

export function eventMetadata(
  source = 'unknown',
  extra: Partial<EventMetadata> = {},
): EventMetadata {
  return {
    eventId: randomUUID(),
    timestampMs: Date.now(),
    correlationId: null,
    sessionId: null,
    source,
    ...extra,
  };
}

/**
 * What travels on the bus. IPC messages are the bulk; the rest are kernel
 * lifecycle facts that broadcast subscribers (monitors, the gateway) observe.
 */
export type AstridEvent =
  | { readonly type: 'ipc'; readonly metadata: EventMetadata; readonly message: IpcMessage }
  | {
      readonly type: 'custom';
      readonly metadata: EventMetadata;
      readonly name: string;
      readonly data: Json;
    }
  | { readonly type: 'kernel_started'; readonly metadata: EventMetadata; readonly version: string }
  | {
      readonly type: 'kernel_shutdown';
      readonly metadata: EventMetadata;
      readonly reason: string | null;
    }
  | {
      readonly type: 'capsule_loaded';
      readonly metadata: EventMetadata;
      readonly capsuleId: string;
      readonly capsuleName: string;
    }
  | {
      readonly type: 'capsule_failed';
      readonly metadata: EventMetadata;
      readonly capsuleId: string;
      readonly error: string;
    }
  | {
      readonly type: 'capsule_unloaded';
      readonly metadata: EventMetadata;
      readonly capsuleId: string;
      readonly capsuleName: string;
    }
  | { readonly type: 'config_reloaded'; readonly metadata: EventMetadata }
  | {
      readonly type: 'security_violation';
      readonly metadata: EventMetadata;
      readonly violationType: string;
      readonly details: string;
    };

export type AstridEventType = AstridEvent['type'];

/** Every event kind, for metric labels (a fixed, bounded set). */
export const EVENT_KINDS: readonly string[] = [
  'ipc',
  'custom',
  'astrid.v1.lifecycle.kernel_started',
  'astrid.v1.lifecycle.kernel_shutdown',
  'astrid.v1.lifecycle.capsule_loaded',
  'astrid.v1.lifecycle.capsule_failed',
  'astrid.v1.lifecycle.capsule_unloaded',
  'astrid.v1.lifecycle.config_reloaded',
  'astrid.v1.lifecycle.security_violation',
];

/** `ipc`, `custom`, or `astrid.v1.lifecycle.<snake_name>`. */
export function eventKind(event: AstridEvent): string {
  if (event.type === 'ipc' || event.type === 'custom') return event.type;
  return `astrid.v1.lifecycle.${event.type}`;
}

export function ipcEvent(
  message: IpcMessage,
  source = 'unknown',
  sessionId: string | null = null,
): AstridEvent {
  return { type: 'ipc', metadata: eventMetadata(source, { sessionId }), message };
}
