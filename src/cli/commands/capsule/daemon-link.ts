import { isAstridError } from '../../../core/errors.js';
import type { Json } from '../../../events/json.js';
import type { SocketKernelClient } from '../../../kernel/clients/socket-kernel-client.js';
import { type CliIo, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';

/**
 * A client of the running daemon acting as the active agent, or null when no
 * daemon answers (verbs that also work on local files fall back to them).
 * Every other failure (a bad context file, a refused handshake) propagates.
 */
export async function daemonClient(session: CliSession): Promise<SocketKernelClient | null> {
  try {
    return await session.client();
  } catch (e) {
    if (isAstridError(e, 'unavailable')) return null;
    throw e;
  }
}

/** One field of a kernel answer object (undefined when the answer is not an object). Pure. */
export function answerField(data: Json, key: string): Json | undefined {
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? data[key] : undefined;
}

/** Ids of the capsules the daemon has loaded. */
export async function loadedCapsules(client: SocketKernelClient): Promise<string[]> {
  const body = await client.kernel('ListCapsules', {});
  return Array.isArray(body.data)
    ? body.data.filter((x): x is string => typeof x === 'string')
    : [];
}

export interface ReloadOutcome {
  readonly reloaded: boolean;
  /** Why a loaded capsule could not be reloaded (capability, rate limit), else null. */
  readonly error: string | null;
}

/**
 * Reloads a capsule the daemon has loaded so it sees new env values. A
 * refusal is returned, not thrown: the values are stored either way and
 * apply at the capsule's next load.
 */
export async function reloadIfLoaded(
  client: SocketKernelClient,
  capsule: string,
): Promise<ReloadOutcome> {
  try {
    if (!(await loadedCapsules(client)).includes(capsule)) return { reloaded: false, error: null };
    await client.kernel('ReloadCapsules', { capsule });
    return { reloaded: true, error: null };
  } catch (e) {
    return { reloaded: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Prints what a reload did (pretty output only). */
export function reportReload(io: CliIo, capsule: string, outcome: ReloadOutcome): void {
  if (outcome.reloaded) say.info(io, `reloaded ${capsule} in the running daemon`);
  else if (outcome.error !== null)
    say.warn(
      io,
      `could not reload ${capsule} in the daemon (${outcome.error}); the new values apply at its next load`,
    );
}
