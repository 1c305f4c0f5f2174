import { existsSync } from 'node:fs';
import { AstridError, isAstridError } from '../../../core/errors.js';
import { ASTRID_VERSION } from '../../../core/version.js';
import { SocketKernelClient } from '../../../kernel/clients/socket-kernel-client.js';
import { readSessionToken } from '../../../kernel/socket/session-token.js';
import type { AstridHome } from '../../../storage/home/astrid-home.js';
import { RUNTIME_KEY_FILE } from '../../../storage/keys/runtime-key.js';
import { type CliIo, type OutputFormat, printStructured } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { anyFailed, type Check, checkLines } from './checks.js';
import { parseDaemonStatus } from './daemon-status.js';
import { probeSandbox } from './host-facts.js';

/** Connect and reply budget of the GetStatus round trip. */
export const DOCTOR_TIMEOUT_MS = 5_000;

async function roundTrip(session: CliSession): Promise<Check> {
  const started = Date.now();
  try {
    const client = await SocketKernelClient.connect({
      path: session.socketPath,
      token: await readSessionToken(session.tokenPath),
      clientVersion: ASTRID_VERSION,
      principal: await session.activeAgent(),
      timeoutMs: DOCTOR_TIMEOUT_MS,
    });
    try {
      const status = parseDaemonStatus(
        (await client.kernel('GetStatus', undefined, { timeoutMs: DOCTOR_TIMEOUT_MS })).data,
      );
      return {
        name: 'daemon',
        status: 'ok',
        detail: `daemon answered GetStatus in ${Date.now() - started} ms (PID ${status.pid}, version ${status.version})`,
      };
    } finally {
      await client.close();
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const denied = isAstridError(e) && e.code === 'capability-denied';
    return {
      name: 'daemon',
      status: 'fail',
      detail: `daemon did not answer GetStatus: ${message}`,
      fix: denied
        ? 'the active agent needs system:status (`astrid caps show`, or switch agents)'
        : 'restart it: astrid restart (or clean up a dead one: astrid stop)',
    };
  }
}

/**
 * `astrid doctor [--no-daemon] [--format]`: is the home usable, is the
 * daemon reachable, can capsules run processes. Exit 1 when a check fails.
 */
export async function doctorVerb(
  io: CliIo,
  session: CliSession,
  format: OutputFormat,
  options: { readonly noDaemon: boolean },
): Promise<number> {
  const checks: Check[] = [];
  let home: AstridHome | null = null;
  try {
    home = session.home;
    checks.push({ name: 'home', status: 'ok', detail: `Astrid home: ${home.root}` });
  } catch (e) {
    checks.push({
      name: 'home',
      status: 'fail',
      detail: `Astrid home does not resolve: ${e instanceof AstridError ? e.message : String(e)}`,
      fix: 'set ASTRID_HOME to an absolute path (or set HOME)',
    });
  }
  if (home !== null) {
    const key = home.path('keys', RUNTIME_KEY_FILE);
    checks.push(
      existsSync(key)
        ? { name: 'runtime-key', status: 'ok', detail: `runtime key present: ${key}` }
        : {
            name: 'runtime-key',
            status: 'warn',
            detail: `runtime key missing: ${key} (the daemon creates it on its first start)`,
            fix: 'astrid start',
          },
    );
    checks.push(
      existsSync(session.socketPath)
        ? { name: 'socket', status: 'ok', detail: `daemon socket present: ${session.socketPath}` }
        : {
            name: 'socket',
            status: 'warn',
            detail: `daemon socket missing: ${session.socketPath} (the daemon is not running)`,
            fix: 'astrid start',
          },
    );
  }
  const sandbox = await probeSandbox(session.env);
  checks.push(
    sandbox.usable
      ? { name: 'sandbox', status: 'ok', detail: 'process sandbox (bwrap) works' }
      : {
          name: 'sandbox',
          status: 'warn',
          detail: `process sandbox unusable, capsules cannot spawn processes: ${sandbox.reason}`,
          fix: 'astrid setup (diagnoses the sandbox and prints the fix)',
        },
  );
  if (!options.noDaemon && home !== null && existsSync(session.socketPath))
    checks.push(await roundTrip(session));

  if (format !== 'pretty') printStructured(io, { ok: !anyFailed(checks), checks }, format);
  else for (const check of checks) for (const line of checkLines(check)) io.out(`${line}\n`);
  return anyFailed(checks) ? 1 : 0;
}
