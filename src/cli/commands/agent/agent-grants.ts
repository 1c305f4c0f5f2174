import { checkCapability } from '../../../core/capabilities/capability-grammar.js';
import { type AstridError, err, invalidInput, ok, type Result } from '../../../core/errors.js';

/**
 * The direct grants of `agent create`: `network:egress:<domain>` per
 * `--egress` entry and `process:spawn:<command>` per `--process-allow` entry,
 * each checked by the capability grammar (segments are `[A-Za-z0-9_-]+` or
 * `*`, so `api.example.com` is refused with the reason). Duplicates are
 * dropped. Pure.
 */
export function creationGrants(
  egress: readonly string[],
  processAllow: readonly string[],
): Result<string[], AstridError> {
  const grants: string[] = [];
  const sources: [string, string, readonly string[]][] = [
    ['--egress', 'network:egress', egress],
    ['--process-allow', 'process:spawn', processAllow],
  ];
  for (const [flag, prefix, items] of sources) {
    for (const item of items) {
      const cap = `${prefix}:${item}`;
      const checked = checkCapability(cap);
      if (!checked.ok) {
        return err(
          invalidInput(
            `${flag} ${JSON.stringify(item)} does not make a valid capability: ${checked.error.message}`,
          ),
        );
      }
      if (!grants.includes(cap)) grants.push(cap);
    }
  }
  return ok(grants);
}
