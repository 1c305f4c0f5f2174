import { type CliIo, type OutputFormat, printStructured, say } from '../../output.js';
import { checkLines } from './checks.js';
import { gatherSandboxFacts } from './host-facts.js';
import { diagnoseSandbox } from './sandbox-diagnosis.js';

/**
 * `astrid setup [--format]`: diagnoses the capsule process sandbox (bwrap,
 * prlimit, user-namespace sysctls) and prints the command that fixes each
 * failing check. Exit 1 when the sandbox is unusable.
 */
export async function setupVerb(
  io: CliIo,
  env: NodeJS.ProcessEnv,
  format: OutputFormat,
): Promise<number> {
  const facts = await gatherSandboxFacts(env);
  const { usable, checks } = diagnoseSandbox(facts);
  if (format !== 'pretty') {
    printStructured(io, { platform: facts.platform, sandbox_usable: usable, checks }, format);
    return usable ? 0 : 1;
  }
  for (const check of checks) for (const line of checkLines(check)) io.out(`${line}\n`);
  if (usable) say.ok(io, 'The capsule process sandbox is usable.');
  else
    say.error(
      io,
      'The capsule process sandbox is not usable: capsules cannot spawn processes until it is fixed.',
    );
  return usable ? 0 : 1;
}
