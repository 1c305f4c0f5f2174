import type { CapsuleManifest, EnvDef } from '../../../capsule/manifest/manifest.js';
import type { AstridHome } from '../../../storage/home/astrid-home.js';
import { type CliIo, say } from '../../output.js';
import { checkValue, type EnvAssignment } from './config-args.js';
import { applyAssignments, type EnvTarget, readEnvFile, secretsSet } from './env-files.js';
import { envEntries } from './env-status.js';
import { ask } from './tty-prompt.js';

/** The declared `[env]` keys that still need a value for this target. */
export async function keysNeedingValue(
  home: AstridHome,
  target: EnvTarget,
  manifest: CapsuleManifest,
): Promise<string[]> {
  const rows = envEntries(
    manifest,
    await readEnvFile(target.envFile),
    await secretsSet(home, target, manifest),
  );
  return rows.filter((r) => r.needsValue).map((r) => r.key);
}

/** The line shown instead of a prompt when nobody can answer one. */
export function needsLine(capsule: string, key: string): string {
  return `${capsule} needs ${key}: set it with astrid capsule config ${capsule} --set ${key}=VALUE`;
}

async function askOne(io: CliIo, capsule: string, def: EnvDef): Promise<string> {
  if (def.description !== null) io.err(`  ${def.description}\n`);
  if (def.kind === 'select' && def.enumValues.length > 0)
    io.err(`  choices: ${def.enumValues.join(', ')}\n`);
  const label = def.request ?? def.key;
  const suffix = def.default !== null && def.kind !== 'secret' ? ` [${def.default}]` : '';
  for (;;) {
    const raw = (
      await ask(`${capsule} · ${label}${suffix}: `, { hidden: def.kind === 'secret' })
    ).trim();
    const value = raw === '' && def.kind !== 'secret' ? (def.default ?? '') : raw;
    if (value === '') return '';
    try {
      checkValue(def, value);
      return value;
    } catch (e) {
      say.warn(io, (e as Error).message);
    }
  }
}

/**
 * Asks for each key that still needs a value (sorted), storing secrets in
 * the secret store and the rest in the env file; an empty answer leaves the
 * key unset. Returns the keys that were given a value.
 */
export async function promptForEnv(
  io: CliIo,
  home: AstridHome,
  target: EnvTarget,
  manifest: CapsuleManifest,
  keys: readonly string[],
): Promise<string[]> {
  const answers: EnvAssignment[] = [];
  for (const key of keys) {
    const def = manifest.env.find((d) => d.key === key);
    if (def === undefined) continue;
    const value = await askOne(io, manifest.package.name, def);
    if (value !== '') answers.push({ key, value });
  }
  if (answers.length > 0) await applyAssignments(home, target, manifest, answers);
  return answers.map((a) => a.key);
}
