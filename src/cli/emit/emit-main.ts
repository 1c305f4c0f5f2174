import { randomUUID } from 'node:crypto';
import { checkPrincipalId } from '../../core/ids/principal-id.js';
import { checkPublishTopic } from '../../core/topics/topic-syntax.js';
import { ASTRID_VERSION } from '../../core/version.js';
import type { CliIo } from '../output.js';
import { CliSession } from '../session/cli-session.js';
import { EMIT_USAGE, parseEmitArgs } from './emit-args.js';
import { readEmitEnv } from './emit-env.js';
import { emitEnvelope } from './emit-envelope.js';
import { publishConfirmed } from './publish-confirmed.js';
import { MAX_EMIT_STDIN, readLimited } from './read-limited.js';

/** What a hook runner reads on stdout, whatever happened. */
export const CONTINUE_LINE = '{"continue":true}\n';

const EXIT_PUBLISHED = 0;
const EXIT_FAILED = 1;

/**
 * `astrid-emit`: publishes one hook event and never blocks the hook. Every
 * path except --help/--version prints `{"continue":true}`; the exit status
 * says whether the message was published (0) or not (1, never 2).
 */
export async function emitMain(
  argv: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
  stdin: NodeJS.ReadableStream,
): Promise<number> {
  const args = parseEmitArgs(argv);
  if (args.kind === 'help') {
    io.out(EMIT_USAGE);
    return EXIT_PUBLISHED;
  }
  if (args.kind === 'version') {
    io.out(`astrid-emit ${ASTRID_VERSION}\n`);
    return EXIT_PUBLISHED;
  }
  io.out(CONTINUE_LINE);
  if (args.kind === 'error') {
    io.err(`astrid-emit: ${args.message}\n`);
    return EXIT_FAILED;
  }
  const topic = args.topic;
  const fail = (reason: string) => {
    io.err(`astrid-emit: failed to publish on ${topic}: ${reason}\n`);
    return EXIT_FAILED;
  };
  const topicCheck = checkPublishTopic(topic);
  if (!topicCheck.ok) return fail(topicCheck.error.message);
  const vars = readEmitEnv(env);
  if (!vars.ok) {
    io.err(`astrid-emit: ${vars.missing} is not set (the hook runner must export it)\n`);
    return EXIT_FAILED;
  }
  const principal = checkPrincipalId(vars.value.principalId);
  if (!principal.ok) return fail(`ASTRID_PRINCIPAL_ID: ${principal.error.message}`);
  const text = await readLimited(stdin, MAX_EMIT_STDIN);
  const session = new CliSession(io, env);
  try {
    const conn = await session.connection(principal.value);
    await publishConfirmed(conn, {
      topic,
      body: emitEnvelope(topic, text, vars.value),
      sourceId: randomUUID(),
      principal: principal.value,
    });
    return EXIT_PUBLISHED;
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  } finally {
    await session.close();
  }
}
