import { parsePrincipalId } from '../../../core/ids/principal-id.js';
import { type OutputFormat, printStructured, say } from '../../output.js';
import { renderTable } from '../../render/table.js';
import type { CliSession } from '../../session/cli-session.js';
import { checkAssignment, parseAssignment } from './config-args.js';
import { daemonClient, type ReloadOutcome, reloadIfLoaded, reportReload } from './daemon-link.js';
import { applyAssignments, envTarget, readEnvFile, secretsSet } from './env-files.js';
import { type EnvEntry, envEntries } from './env-status.js';
import { findInstalledCapsule } from './installed-capsule.js';

export interface CapsuleConfigFlags {
  readonly show: boolean;
  readonly set: readonly string[];
  readonly agent: string | undefined;
  readonly format: OutputFormat;
}

function sourceLabel(e: EnvEntry): string {
  if (e.needsValue) return 'unset (needed)';
  if (!e.declared) return 'env file (not declared by the capsule)';
  return {
    'env-file': 'env file',
    'secret-store': 'secret store',
    default: 'default',
    unset: 'unset',
  }[e.source];
}

/**
 * `astrid capsule config NAME [--show] [--set K=V]... [-a AGENT] [--format]`:
 * every assignment is checked before anything is written; secrets go to the
 * secret store and are only ever shown as `<set>`. Changing the global
 * values of a capsule the daemon has loaded reloads it.
 */
export async function capsuleConfig(
  session: CliSession,
  name: string,
  flags: CapsuleConfigFlags,
): Promise<number> {
  const io = session.io;
  const home = session.home;
  const agent = flags.agent === undefined ? null : parsePrincipalId(flags.agent);
  const capsule = await findInstalledCapsule(home, name, agent);
  const target = envTarget(home, capsule.id, agent);
  const assignments = flags.set.map(parseAssignment);
  for (const a of assignments) checkAssignment(capsule.manifest, a);

  let reload: ReloadOutcome | null = null;
  if (assignments.length > 0) {
    await applyAssignments(home, target, capsule.manifest, assignments);
    // A principal's own env file is re-read on every call; only global values need a reload.
    if (agent === null) {
      const client = await daemonClient(session);
      if (client !== null) reload = await reloadIfLoaded(client, capsule.id);
    }
  }
  const entries = envEntries(
    capsule.manifest,
    await readEnvFile(target.envFile),
    await secretsSet(home, target, capsule.manifest),
  );
  if (flags.format !== 'pretty') {
    printStructured(
      io,
      {
        capsule: capsule.id,
        agent,
        env_file: target.envFile,
        changed: assignments.map((a) => a.key),
        reloaded: reload?.reloaded ?? false,
        entries: entries.map(({ needsValue, ...rest }) => ({ ...rest, needs_value: needsValue })),
      },
      flags.format,
    );
    return 0;
  }
  for (const a of assignments) {
    const secret = capsule.manifest.env.find((d) => d.key === a.key)?.kind === 'secret';
    if (a.value === '') say.ok(io, `Removed ${a.key} from ${capsule.id}`);
    else if (secret) say.ok(io, `Stored ${a.key} for ${capsule.id} in the secret store`);
    else say.ok(io, `Set ${a.key} for ${capsule.id}`);
  }
  if (reload !== null) reportReload(io, capsule.id, reload);
  if (!flags.show && assignments.length > 0) return 0;
  if (entries.length === 0) {
    say.info(io, `${capsule.id} declares no [env] keys`);
    return 0;
  }
  io.out(
    renderTable(
      ['KEY', 'TYPE', 'VALUE', 'SOURCE'],
      entries.map((e) => [e.key, e.type, e.value ?? '-', sourceLabel(e)]),
    ),
  );
  return 0;
}
