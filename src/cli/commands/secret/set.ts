import { join } from 'node:path';
import { deleteEnvValue, setEnvValue } from '../../../capsule/env/env-json-file.js';
import {
  installedManifestPath,
  loadInstalledManifest,
} from '../../../capsule/install/installed-manifest.js';
import { AstridError } from '../../../core/errors.js';
import { parseCapsuleId } from '../../../core/ids/capsule-id.js';
import { type PrincipalId, parsePrincipalId } from '../../../core/ids/principal-id.js';
import { capsuleSecretStore } from '../../../storage/secrets/capsule-secrets.js';
import { EXIT } from '../../exit-codes.js';
import { type CliIo, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import {
  checkEnvKey,
  checkValue,
  decideSecretTarget,
  isDeclaredSecret,
  parseScope,
} from './secret-target.js';

export interface SecretFlags {
  readonly agent?: string;
  readonly capsule?: string;
  readonly scope?: string;
}

/** The agent a secret verb works on: `-a`, else the active agent. */
export async function targetAgent(
  session: CliSession,
  flag: string | undefined,
): Promise<PrincipalId> {
  return flag === undefined ? session.activeAgent() : parsePrincipalId(flag);
}

/** `home/<agent>/.config/env/<stem>.env.json`. */
export function envJsonPath(session: CliSession, agent: PrincipalId, stem: string): string {
  return join(session.home.principal(agent).envDir, `${stem}.env.json`);
}

/**
 * `astrid secret set KEY VALUE [-a AGENT] [--capsule NAME] [--scope
 * agent|shared]`; VALUE `-` reads the value from stdin. The value is never
 * printed or logged.
 */
export async function secretSet(
  session: CliSession,
  io: CliIo,
  key: string,
  valueArg: string,
  flags: SecretFlags,
  readStdin: () => Promise<string>,
): Promise<number> {
  checkEnvKey(key);
  const scope = parseScope(flags.scope);
  const agent = await targetAgent(session, flags.agent);
  const capsule = flags.capsule === undefined ? null : parseCapsuleId(flags.capsule);
  const manifest = capsule === null ? null : await loadInstalledManifest(session.home, capsule);
  if (capsule !== null && manifest === null) {
    // Fail closed: without the manifest we cannot tell a secret from plain env.
    throw new AstridError(
      'not-found',
      `capsule ${capsule} is not installed (no ${installedManifestPath(session.home, capsule)}); install it first so its [env] decides whether ${key} is a secret`,
    );
  }
  const target = decideSecretTarget({
    key,
    agent,
    capsule,
    declaredSecret: isDeclaredSecret(manifest, key),
    scope,
  });
  const fromStdin = valueArg === '-';
  const value = checkValue(fromStdin ? await readStdin() : valueArg, fromStdin);

  if (target.storage === 'file') {
    await capsuleSecretStore(session.home, target.scopeDir, target.capsule).set(key, value);
    say.ok(
      io,
      `stored ${key} for capsule ${target.capsule} in the secret store (scope: ${target.scope}${target.scope === 'shared' ? ', every agent' : `, agent ${agent}`})`,
    );
    if (target.scope === 'agent') {
      const legacy = envJsonPath(session, agent, target.capsule);
      if (await deleteEnvValue(legacy, key))
        say.info(io, `removed the old plain-text copy of ${key} from ${legacy}`);
    }
    return EXIT.ok;
  }
  const path = envJsonPath(session, agent, target.stem);
  await setEnvValue(path, key, value);
  say.ok(io, `stored ${key} in ${path}`);
  say.warn(
    io,
    capsule === null
      ? `${key} is plain env, not a secret: only keys a capsule declares with type = "secret" go to the secret store (pass --capsule NAME)`
      : `capsule ${capsule} does not declare ${key} with type = "secret", so it is stored as plain env`,
  );
  return EXIT.ok;
}
