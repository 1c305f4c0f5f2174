import { capabilityMatches } from '../../../core/capabilities/capability-grammar.js';
import { KNOWN_CAPABILITIES } from '../../../core/capabilities/special-capabilities.js';
import { type CliIo, say } from '../../output.js';

/**
 * Whether `pattern` covers at least one capability the kernel checks (uses
 * the core matcher). Anything else is allowed but does nothing today —
 * usually a typo. Pure.
 */
export function coversKnownCapability(pattern: string): boolean {
  for (const known of KNOWN_CAPABILITIES) if (capabilityMatches(pattern, known)) return true;
  return false;
}

/** Warns about each capability that covers nothing the kernel checks. */
export function warnUnknownCapabilities(io: CliIo, caps: readonly string[]): void {
  for (const cap of caps) {
    if (!coversKnownCapability(cap)) {
      say.warn(io, `'${cap}' covers no capability the kernel checks (a typo?); kept as given`);
    }
  }
}
