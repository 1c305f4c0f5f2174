import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AstridError, isAstridError } from '../../../core/errors.js';
import { checkCapsuleId, parseCapsuleId } from '../../../core/ids/capsule-id.js';
import type { SocketKernelClient } from '../../../kernel/clients/socket-kernel-client.js';
import { confirm } from '../../command-kit.js';
import { EXIT } from '../../exit-codes.js';
import { type CliIo, type OutputFormat, printStructured, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { answerField, loadedCapsules } from '../capsule/daemon-link.js';
import { canPrompt } from '../capsule/tty-prompt.js';
import { type Change, changeLines, countChanges, parseChanges } from './workspace-changes.js';

async function diffOf(client: SocketKernelClient, capsule: string): Promise<Change[]> {
  const body = await client.kernel('WorkspaceDiff', { capsule });
  return parseChanges(answerField(body.data, 'changes'));
}

/** Capsules that may have pending changes: the loaded ones and every overlay directory. */
async function candidates(session: CliSession, client: SocketKernelClient): Promise<string[]> {
  const names = new Set(await loadedCapsules(client));
  try {
    for (const d of await readdir(join(session.home.varDir, 'overlays'), { withFileTypes: true }))
      if (d.isDirectory() && checkCapsuleId(d.name).ok) names.add(d.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return [...names].sort();
}

/** `astrid workspace diff [CAPSULE] [--format]`: the changes capsules made to their view of the workspace. */
export async function workspaceDiff(
  session: CliSession,
  capsule: string | undefined,
  format: OutputFormat,
): Promise<number> {
  const io = session.io;
  const client = await session.client();
  if (capsule !== undefined) {
    const id = parseCapsuleId(capsule);
    const changes = await diffOf(client, id);
    if (format !== 'pretty') printStructured(io, { capsule: id, changes }, format);
    else if (changes.length === 0) say.ok(io, `${id} has no pending workspace changes`);
    else io.out(`${id}: ${countChanges(changes.length)}\n${changeLines(changes).join('\n')}\n`);
    return EXIT.ok;
  }
  const all: { capsule: string; changes: Change[] }[] = [];
  for (const id of await candidates(session, client)) {
    try {
      const changes = await diffOf(client, id);
      if (changes.length > 0) all.push({ capsule: id, changes });
    } catch (e) {
      if (!isAstridError(e, 'not-found')) throw e;
    }
  }
  if (format !== 'pretty') printStructured(io, all, format);
  else if (all.length === 0) say.ok(io, 'no pending workspace changes');
  else
    for (const { capsule: id, changes } of all)
      io.out(`${id}: ${countChanges(changes.length)}\n${changeLines(changes).join('\n')}\n`);
  return EXIT.ok;
}

/**
 * Asks before changing the workspace. Without a terminal nobody can answer,
 * so the request is refused (`-y` skips the question altogether).
 */
async function approved(io: CliIo, verb: string, question: string): Promise<boolean> {
  if (!canPrompt()) {
    throw new AstridError(
      'invalid-input',
      `refusing to ${verb} without confirmation: stdin is not a terminal (pass -y to ${verb} anyway)`,
    );
  }
  return confirm(io, question);
}

/** `astrid workspace commit|discard CAPSULE [-y] [--format]`. */
export async function workspaceApply(
  session: CliSession,
  action: 'commit' | 'discard',
  capsule: string,
  flags: { yes: boolean; format: OutputFormat },
): Promise<number> {
  const io = session.io;
  const id = parseCapsuleId(capsule);
  const client = await session.client();
  if (!flags.yes) {
    const pending = await diffOf(client, id);
    if (pending.length === 0) {
      if (flags.format !== 'pretty')
        printStructured(
          io,
          {
            capsule: id,
            [action === 'commit' ? 'applied' : 'discarded']: action === 'commit' ? [] : 0,
          },
          flags.format,
        );
      else say.info(io, `${id} has no pending workspace changes`);
      return EXIT.ok;
    }
    if (flags.format === 'pretty')
      io.out(`${id}: ${countChanges(pending.length)}\n${changeLines(pending).join('\n')}\n`);
    const question =
      action === 'commit'
        ? `Apply ${countChanges(pending.length)} from ${id} to the workspace`
        : `Discard ${countChanges(pending.length)} ${id} made (they are lost)`;
    if (!(await approved(io, action, question))) {
      say.error(io, 'aborted.');
      return EXIT.failure;
    }
  }
  if (action === 'commit') {
    const body = await client.kernel('WorkspaceCommit', { capsule: id });
    const applied = parseChanges(answerField(body.data, 'applied'));
    if (flags.format !== 'pretty') printStructured(io, { capsule: id, applied }, flags.format);
    else if (applied.length === 0) say.info(io, `${id} has no pending workspace changes`);
    else {
      say.ok(io, `Applied ${countChanges(applied.length)} from ${id} to the workspace`);
      io.out(`${changeLines(applied).join('\n')}\n`);
    }
    return EXIT.ok;
  }
  const body = await client.kernel('WorkspaceDiscard', { capsule: id });
  const discarded = Number(answerField(body.data, 'discarded') ?? 0);
  if (flags.format !== 'pretty') printStructured(io, { capsule: id, discarded }, flags.format);
  else if (discarded === 0) say.info(io, `${id} has no pending workspace changes`);
  else say.ok(io, `Discarded ${countChanges(discarded)} from ${id}`);
  return EXIT.ok;
}
