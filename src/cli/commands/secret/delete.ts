import { deleteEnvValue } from '../../../capsule/env/env-json-file.js';
import { AstridError } from '../../../core/errors.js';
import { parseCapsuleId } from '../../../core/ids/capsule-id.js';
import { HOST_SCOPE } from '../../../core/ids/principal-id.js';
import { capsuleSecretStore } from '../../../storage/secrets/capsule-secrets.js';
import { notFound } from '../../command-kit.js';
import { EXIT } from '../../exit-codes.js';
import { type CliIo, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { checkEnvKey, DEFAULT_ENV_STEM, parseScope } from './secret-target.js';
import { envJsonPath, type SecretFlags, targetAgent } from './set.js';

/**
 * `astrid secret delete KEY [-a AGENT] [--capsule NAME] [--scope
 * agent|shared]`: removes the key wherever it is stored for that agent and
 * capsule (secret store and env-json); nowhere → exit 1.
 */
export async function secretDelete(
  session: CliSession,
  io: CliIo,
  key: string,
  flags: SecretFlags,
): Promise<number> {
  checkEnvKey(key);
  const scope = parseScope(flags.scope);
  const agent = await targetAgent(session, flags.agent);
  const capsule = flags.capsule === undefined ? null : parseCapsuleId(flags.capsule);
  const places: { where: string; remove: () => Promise<boolean> }[] = [];
  if (scope === 'shared') {
    if (capsule === null)
      throw new AstridError('invalid-input', '--scope shared needs --capsule NAME');
    const store = capsuleSecretStore(session.home, HOST_SCOPE, capsule);
    places.push({
      where: `the shared secret store (${store.root})`,
      remove: () => store.delete(key),
    });
  } else {
    if (capsule !== null) {
      const store = capsuleSecretStore(session.home, agent, capsule);
      places.push({ where: `the secret store (${store.root})`, remove: () => store.delete(key) });
    }
    const path = envJsonPath(session, agent, capsule ?? DEFAULT_ENV_STEM);
    places.push({ where: path, remove: () => deleteEnvValue(path, key) });
  }
  const removed: string[] = [];
  for (const place of places) if (await place.remove()) removed.push(place.where);
  if (removed.length === 0) {
    const scopeText =
      scope === 'shared'
        ? `as a shared secret of capsule ${capsule}`
        : capsule === null
          ? `for agent ${agent} without a capsule (pass --capsule NAME for a capsule's keys)`
          : `for agent ${agent} and capsule ${capsule}`;
    throw notFound(`${key} is not set ${scopeText}; see \`astrid secret list\``);
  }
  for (const where of removed) say.ok(io, `deleted ${key} from ${where}`);
  return EXIT.ok;
}
