import { invalidInput } from '../core/errors.js';
import type { PrincipalKey } from '../core/ids/principal-key.js';
import { decodePayload, encodePayload, guestJsonValue, type IpcPayload } from './ipc-payload.js';
import { isJsonObject, type JsonObject } from './json.js';

/** The source id of kernel-originated messages (the default daemon session). */
export const SYSTEM_SESSION_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * The unit of all bus traffic. `principal` is the raw key the publisher stamped
 * (`null` = system); it is validated only where the kernel consumes it.
 * `claimed` marks a principal asserted by an uplink (`publish-as`) rather than
 * verified by the kernel.
 */
export interface IpcMessage {
  readonly topic: string;
  readonly payload: IpcPayload;
  readonly sourceId: string;
  /** Milliseconds since the Unix epoch. */
  readonly timestampMs: number;
  /** Bus-wide sequence number, stamped on publish (0 before). */
  seq: number;
  readonly principal: PrincipalKey;
  readonly claimed: boolean;
  readonly signature: readonly number[] | null;
}

export interface NewIpcMessage {
  topic: string;
  payload: IpcPayload;
  sourceId?: string;
  principal?: PrincipalKey;
  claimed?: boolean;
  timestampMs?: number;
}

export function ipcMessage(init: NewIpcMessage): IpcMessage {
  return {
    topic: init.topic,
    payload: init.payload,
    sourceId: init.sourceId ?? SYSTEM_SESSION_UUID,
    timestampMs: init.timestampMs ?? Date.now(),
    seq: 0,
    principal: init.principal ?? null,
    claimed: init.claimed ?? false,
    signature: null,
  };
}

// Guests and routes need the serialized body of every payload; compute it once.
interface GuestBody {
  readonly json: string;
  readonly bytes: number;
}
const guestBodies = new WeakMap<IpcPayload, GuestBody>();

function guestBody(payload: IpcPayload): GuestBody {
  let body = guestBodies.get(payload);
  if (body === undefined) {
    let json: string;
    try {
      json = JSON.stringify(guestJsonValue(payload));
    } catch {
      json = '';
    }
    body = { json, bytes: Buffer.byteLength(json, 'utf8') };
    guestBodies.set(payload, body);
  }
  return body;
}

/** The JSON text a guest or socket client receives as the payload (cached per payload). */
export function guestPayloadJson(message: IpcMessage): string {
  return guestBody(message.payload).json;
}

/** Bytes a message costs on a route and against IPC quotas: payload body + topic. */
export function ipcSize(message: IpcMessage): number {
  return guestBody(message.payload).bytes + Buffer.byteLength(message.topic, 'utf8');
}

// -------------------------------------------------------------- wire form --

export interface WireIpcMessage {
  topic: string;
  payload: JsonObject;
  signature: number[] | null;
  source_id: string;
  timestamp: string;
  seq: number;
  principal?: string;
  principal_claimed?: true;
}

export function encodeIpcMessage(message: IpcMessage): WireIpcMessage {
  const wire: WireIpcMessage = {
    topic: message.topic,
    payload: encodePayload(message.payload),
    signature: message.signature === null ? null : [...message.signature],
    source_id: message.sourceId,
    timestamp: new Date(message.timestampMs).toISOString(),
    seq: message.seq,
  };
  if (message.principal !== null) wire.principal = message.principal;
  if (message.claimed) wire.principal_claimed = true;
  return wire;
}

/**
 * Decodes a wire message. The timestamp defaults to now, seq to 0, signature
 * to null; the payload decodes per `decodePayload`.
 */
export function decodeIpcMessage(value: unknown, now: number = Date.now()): IpcMessage {
  if (!isJsonObject(value)) throw invalidInput('message must be a JSON object');
  const { topic, payload, source_id, timestamp, seq, principal, signature, principal_claimed } =
    value;
  if (typeof topic !== 'string') throw invalidInput('message.topic must be a string');
  if (typeof source_id !== 'string') throw invalidInput('message.source_id must be a UUID string');
  let timestampMs = now;
  if (timestamp !== undefined && timestamp !== null) {
    if (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp))) {
      throw invalidInput('message.timestamp must be an RFC 3339 string');
    }
    timestampMs = Date.parse(timestamp);
  }
  if (seq !== undefined && (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0)) {
    throw invalidInput('message.seq must be a non-negative integer');
  }
  if (principal !== undefined && principal !== null && typeof principal !== 'string') {
    throw invalidInput('message.principal must be a string');
  }
  let sig: number[] | null = null;
  if (signature !== undefined && signature !== null) {
    if (
      !Array.isArray(signature) ||
      !signature.every((b) => typeof b === 'number' && b >= 0 && b <= 255)
    ) {
      throw invalidInput('message.signature must be an array of bytes');
    }
    sig = signature as number[];
  }
  return {
    topic,
    payload: decodePayload(payload),
    sourceId: source_id,
    timestampMs,
    seq: (seq as number | undefined) ?? 0,
    principal: (principal as string | undefined | null) ?? null,
    claimed: principal_claimed === true,
    signature: sig,
  };
}
