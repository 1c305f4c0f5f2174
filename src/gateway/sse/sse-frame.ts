/** The heartbeat: an SSE comment line, ignored by `EventSource` but keeping proxies from timing out. */
export const KEEP_ALIVE_FRAME = ': keep-alive\n\n';

const EVENT_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * One SSE event: `event: <name>\ndata: <compact JSON>\n\n`. Compact JSON
 * never contains a raw newline, so the data is always one line. Pure.
 */
export function sseEvent(name: string, data: unknown): string {
  if (!EVENT_NAME.test(name)) throw new Error(`invalid SSE event name ${JSON.stringify(name)}`);
  return `event: ${name}\ndata: ${JSON.stringify(data) ?? 'null'}\n\n`;
}

/** One parsed frame of an SSE stream: an event or a comment. */
export type SseFrame =
  | { readonly kind: 'event'; readonly event: string; readonly data: string }
  | { readonly kind: 'comment'; readonly text: string };

/**
 * Splits SSE text into complete frames (blank-line terminated) and the
 * unterminated rest, which the caller prepends to the next chunk. Used by
 * tests and clients that read our streams. Pure.
 */
export function parseSseFrames(text: string): { frames: SseFrame[]; rest: string } {
  const frames: SseFrame[] = [];
  const blocks = text.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    const comments: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line.slice(1).trimStart());
      else if (line.startsWith('event:')) event = line.slice(6).trimStart();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (data.length > 0) frames.push({ kind: 'event', event, data: data.join('\n') });
    else for (const c of comments) frames.push({ kind: 'comment', text: c });
  }
  return { frames, rest };
}
