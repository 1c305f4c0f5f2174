import type { ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { encodeFrame, FrameDecoder, parseFrame } from '../../src/events/wire/frame-codec.js';

/** Writes `total` bytes of filler as a streamed body, honouring backpressure, then ends. */
export function streamBody(res: ServerResponse, total: number, chunkBytes = 256 * 1024): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  const chunk = Buffer.alloc(chunkBytes, 7);
  let sent = 0;
  const pump = (): void => {
    while (sent < total) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

/** One raw length-prefixed frame (u32be length + bytes). */
function rawFrame(text: string): Buffer {
  const body = Buffer.from(text);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

/**
 * Connects to a capsule's Unix listener, sends the handshake frame and one
 * raw frame, and reads the handshake answer (parsed) and one reply (text).
 */
export function unixExchange(
  path: string,
  handshake: unknown,
  message: string,
): Promise<{ response: unknown; reply: unknown }> {
  return new Promise((resolve, reject) => {
    const s = connect({ path });
    const decoder = new FrameDecoder(1 << 20);
    const frames: unknown[] = [];
    s.on('connect', () => {
      s.write(encodeFrame(handshake));
      s.write(rawFrame(message));
    });
    s.on('data', (d) => {
      decoder.push(d);
      for (let f = decoder.next(); f !== null; f = decoder.next()) {
        frames.push(frames.length === 0 ? parseFrame(f) : f.toString());
      }
      if (frames.length === 2) s.end();
    });
    s.on('error', reject);
    s.on('close', () => resolve({ response: frames[0], reply: frames[1] }));
  });
}

/** Connects to `127.0.0.1:port`, writes `text`, and resolves with everything read until the peer ends. */
export function tcpExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.write(text));
    let got = '';
    s.on('data', (d) => {
      got += d.toString();
    });
    s.on('end', () => {
      s.end();
      resolve(got);
    });
    s.on('error', reject);
  });
}
