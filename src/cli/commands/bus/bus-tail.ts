import { AstridError } from '../../../core/errors.js';
import { routeMatches } from '../../../core/topics/route-matcher.js';
import { checkSubscribePattern } from '../../../core/topics/topic-syntax.js';
import type { IpcMessage } from '../../../events/ipc-message.js';
import { rawJsonBody } from '../../../events/ipc-payload.js';
import { isJsonObject } from '../../../events/json.js';
import {
  SOCKET_ERROR_TOPIC,
  SOCKET_SUBSCRIBED_TOPIC,
} from '../../../kernel/socket/socket-server.js';
import { EXIT } from '../../exit-codes.js';
import { type OutputFormat, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { formatTailed, tailRecord } from './tail-format.js';
import { timeoutVerdict } from './tail-options.js';

export interface TailOptions {
  readonly pattern: string;
  /** Stop after this many messages (null: no limit). */
  readonly count: number | null;
  /** Stop after this many seconds (null: no limit). */
  readonly timeoutSecs: number | null;
  readonly format: OutputFormat;
}

type TailEnd =
  | { readonly kind: 'count' | 'interrupt' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'closed' };

/**
 * `astrid bus tail <pattern>`: subscribes as the active agent and prints
 * every matching message, one per line, until Ctrl-C, `-n` messages or the
 * timeout. Status lines go to stderr so stdout is only messages.
 */
export async function busTail(
  session: CliSession,
  options: TailOptions,
  signals: NodeJS.EventEmitter = process,
): Promise<number> {
  const checked = checkSubscribePattern(options.pattern);
  if (!checked.ok) throw checked.error;
  const io = session.io;
  const conn = await session.connection();
  let received = 0;
  let stop: (end: TailEnd) => void = () => {};
  const ended = new Promise<TailEnd>((resolve) => {
    stop = resolve;
  });
  conn.onMessage((m: IpcMessage) => {
    if (m.topic === SOCKET_SUBSCRIBED_TOPIC) return;
    if (m.topic === SOCKET_ERROR_TOPIC) {
      // A refusal of our own subscription is reported by `subscribe` below.
      const body = rawJsonBody(m.payload);
      if (isJsonObject(body) && body.pattern !== options.pattern)
        say.warn(io, `daemon: ${String(body.message)}`);
      return;
    }
    if (!routeMatches(options.pattern, m.topic)) return;
    if (options.count !== null && received >= options.count) return;
    received++;
    io.out(formatTailed(tailRecord(m), options.format));
    if (options.count !== null && received >= options.count) stop({ kind: 'count' });
  });
  conn.onClose(() => stop({ kind: 'closed' }));
  let scope: string;
  try {
    scope = await conn.subscribe(options.pattern);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new AstridError(
      e instanceof AstridError ? e.code : 'internal',
      `the daemon refused the subscription to ${options.pattern}: ${reason}`,
    );
  }
  io.err(
    `i tailing ${options.pattern}${scope === 'all' ? '' : ` (audit entries of ${scope} only)`}; Ctrl-C to stop\n`,
  );
  const onInterrupt = () => stop({ kind: 'interrupt' });
  signals.once('SIGINT', onInterrupt);
  const timer =
    options.timeoutSecs === null
      ? null
      : setTimeout(() => stop({ kind: 'timeout' }), options.timeoutSecs * 1000);
  try {
    const end = await ended;
    if (end.kind === 'closed')
      throw new AstridError('unavailable', 'the daemon closed the connection');
    if (end.kind === 'timeout') {
      const verdict = timeoutVerdict(received, options.count, options.timeoutSecs ?? 0);
      if (!verdict.ok) {
        say.error(io, `error: ${verdict.message}`);
        return EXIT.failure;
      }
    }
    return EXIT.ok;
  } finally {
    if (timer !== null) clearTimeout(timer);
    signals.off('SIGINT', onInterrupt);
  }
}
