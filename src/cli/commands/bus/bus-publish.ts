import { AstridError } from '../../../core/errors.js';
import { checkPublishTopic } from '../../../core/topics/topic-syntax.js';
import { PublishRefused, publishConfirmed } from '../../emit/publish-confirmed.js';
import { readLimited } from '../../emit/read-limited.js';
import { EXIT } from '../../exit-codes.js';
import { type OutputFormat, printStructured, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { parsePayloadArg } from './payload-arg.js';

/** Largest payload read from stdin (the daemon's frame limit is 10 MiB). */
const MAX_STDIN_PAYLOAD = 10 * 1024 * 1024;

/**
 * `astrid bus publish <topic> <json|->`: publishes one raw_json message as
 * the active agent and waits for the daemon's verdict, so a refused publish
 * (kernel-owned topic, bad payload) is reported instead of lost.
 */
export async function busPublish(
  session: CliSession,
  topic: string,
  json: string,
  format: OutputFormat,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<number> {
  const checked = checkPublishTopic(topic);
  if (!checked.ok) throw checked.error;
  const fromStdin = json === '-';
  const text = fromStdin ? await readLimited(stdin, MAX_STDIN_PAYLOAD + 1) : json;
  if (fromStdin && Buffer.byteLength(text, 'utf8') > MAX_STDIN_PAYLOAD)
    throw new AstridError('too-large', 'the payload on stdin is over 10 MiB');
  const body = parsePayloadArg(text, fromStdin ? 'stdin' : 'argument');
  const principal = await session.activeAgent();
  const conn = await session.connection(principal);
  try {
    await publishConfirmed(conn, { topic, body });
  } catch (e) {
    if (!(e instanceof PublishRefused)) throw e;
    if (format === 'pretty') say.error(session.io, `error: ${e.message}`);
    else printStructured(session.io, { ok: false, error: e.toJSON() }, format);
    return EXIT.failure;
  }
  if (format === 'pretty') say.ok(session.io, `published on ${topic} as ${principal}`);
  else printStructured(session.io, { ok: true, topic, principal, payload: body }, format);
  return EXIT.ok;
}
