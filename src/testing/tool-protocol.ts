import { isJsonObject, type Json, type JsonObject } from '../events/json.js';

/** Where agents ask every capsule to describe its tools. */
export const TOOL_DESCRIBE_REQUEST_TOPIC = 'tool.v1.request.describe';
/** Where capsules answer with `{capsule, tools}`. */
export const TOOL_DESCRIBE_RESPONSE_TOPIC = 'tool.v1.response.describe';

export function toolExecuteTopic(name: string): string {
  return `tool.v1.execute.${name}`;
}

export function toolResultTopic(name: string): string {
  return `tool.v1.execute.${name}.result`;
}

/** What a tool call returned. */
export interface ToolResult {
  readonly callId: string;
  /** The tool's output as the agent receives it (JSON text unless the tool returned a string). */
  readonly content: string;
  /** The tool threw; `content` is its message. */
  readonly isError: boolean;
  /** `content` parsed as JSON, or the text itself when it is not JSON. */
  readonly value: Json;
}

/** A tool as a capsule describes it to agents. */
export interface ToolDescriptor {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: JsonObject;
}

/** The `tool_execute_request` payload an agent publishes on `tool.v1.execute.<name>`. Pure. */
export function toolRequest(name: string, args: JsonObject, callId: string): JsonObject {
  return { type: 'tool_execute_request', call_id: callId, tool_name: name, arguments: args };
}

function parseContent(content: string): Json {
  try {
    return JSON.parse(content) as Json;
  } catch {
    return content;
  }
}

/** Reads a `tool_execute_result` payload; null when it is something else. Pure. */
export function readToolResult(payload: Json): ToolResult | null {
  if (!isJsonObject(payload) || payload.type !== 'tool_execute_result') return null;
  const result = payload.result;
  if (!isJsonObject(result) || typeof result.content !== 'string') return null;
  const callId =
    typeof payload.call_id === 'string'
      ? payload.call_id
      : typeof result.call_id === 'string'
        ? result.call_id
        : '';
  return {
    callId,
    content: result.content,
    isError: result.is_error === true,
    value: parseContent(result.content),
  };
}

/** Reads a describe answer if it is `capsule`'s; null otherwise. Pure. */
export function readDescribe(payload: Json, capsule: string): ToolDescriptor[] | null {
  if (!isJsonObject(payload) || payload.capsule !== capsule || !Array.isArray(payload.tools))
    return null;
  const tools: ToolDescriptor[] = [];
  for (const t of payload.tools) {
    if (!isJsonObject(t) || typeof t.name !== 'string') continue;
    tools.push({
      name: t.name,
      description: typeof t.description === 'string' ? t.description : '',
      inputSchema: isJsonObject(t.input_schema) ? t.input_schema : { type: 'object' },
    });
  }
  return tools;
}
