import { readFile } from 'node:fs/promises';
import { parse, stringify } from 'smol-toml';
import { AstridError } from '../../core/errors.js';
import {
  checkPrincipalId,
  DEFAULT_PRINCIPAL,
  type PrincipalId,
} from '../../core/ids/principal-id.js';
import { writeFileAtomic } from '../../storage/files/atomic-write.js';
import type { AstridHome } from '../../storage/home/astrid-home.js';

export function cliContextPath(home: AstridHome): string {
  return home.path('run', 'cli-context.toml');
}

/**
 * The active agent named by `run/cli-context.toml`: a missing or empty
 * file, or no `active_agent` key, means `default`; an invalid principal is
 * an error. Pure.
 */
export function parseCliContext(text: string): PrincipalId {
  if (text.trim().length === 0) return DEFAULT_PRINCIPAL;
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new AstridError(
      'config',
      `run/cli-context.toml is not valid TOML (${(e as Error).message.split('\n')[0]}); fix it or delete it`,
    );
  }
  const active = doc.active_agent;
  if (active === undefined) return DEFAULT_PRINCIPAL;
  if (typeof active !== 'string')
    throw new AstridError('config', 'active_agent in run/cli-context.toml must be a string');
  const checked = checkPrincipalId(active);
  if (!checked.ok)
    throw new AstridError(
      'config',
      `active_agent in run/cli-context.toml is not a valid principal: ${checked.error.message}`,
    );
  return checked.value;
}

export async function readActiveAgent(home: AstridHome): Promise<PrincipalId> {
  let text: string;
  try {
    text = await readFile(cliContextPath(home), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_PRINCIPAL;
    throw e;
  }
  return parseCliContext(text);
}

/** Writes the active agent (temp file + rename). */
export async function writeActiveAgent(home: AstridHome, principal: PrincipalId): Promise<void> {
  await writeFileAtomic(
    cliContextPath(home),
    `${stringify({ active_agent: principal }).trimEnd()}\n`,
    {
      mode: 0o600,
      parentMode: 0o700,
    },
  );
}
