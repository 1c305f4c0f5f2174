import { createHash } from 'node:crypto';
import type { CapsuleId } from '../../core/ids/capsule-id.js';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import type { Logger } from '../../core/logger.js';
import type { AstridHome } from '../../storage/home/astrid-home.js';
import { capsuleSecretStore } from '../../storage/secrets/capsule-secrets.js';
import type { EnvDef } from '../manifest/manifest.js';
import { appendArrayItem, type EnvFieldWrite } from './env-field-plan.js';
import { deleteEnvValue, readEnvJson, writeEnvJson } from './env-json-file.js';

/**
 * Stores one planned `[env]` value in `principal`'s scope: secrets under
 * `secrets/<principal>/<capsule>/<key>` (dropping any legacy plain-text copy
 * from the env file), everything else in `home/<principal>/.config/env/
 * <capsule>.env.json`. Logs the SHA-256 of the value, never the value.
 */
export async function writeEnvField(
  home: AstridHome,
  principal: PrincipalId,
  capsule: CapsuleId,
  def: EnvDef,
  plan: EnvFieldWrite,
  logger: Logger,
): Promise<void> {
  const envFile = home.envFile(capsule, principal);
  const raw = plan.store === 'env-append' ? plan.item : plan.value;
  const fields = {
    principal,
    capsule,
    field: def.key,
    store: plan.store,
    value_sha256: createHash('sha256').update(raw, 'utf8').digest('hex'),
  };
  if (plan.store === 'secret') {
    await capsuleSecretStore(home, principal, capsule).set(def.key, plan.value);
    if (await deleteEnvValue(envFile, def.key))
      logger.info(fields, 'removed a plain-text copy of a secret from the env file');
    logger.info(fields, 'capsule env secret stored');
    return;
  }
  const values = (await readEnvJson(envFile)) ?? {};
  if (plan.store === 'env') {
    values[def.key] = plan.value;
  } else {
    const next = appendArrayItem(values[def.key], plan.item);
    if (next.replacedScalar)
      logger.warn(fields, 'replaced a non-array value with a one-element array');
    values[def.key] = next.value;
  }
  await writeEnvJson(envFile, values);
  logger.info(fields, 'capsule env value stored');
}
