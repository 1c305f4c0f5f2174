import { spawn } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { AstridError } from '../../../core/errors.js';
import { configPath, loadDaemonConfig } from '../../../kernel/config/load-config.js';
import { writeFileAtomic } from '../../../storage/files/atomic-write.js';
import { EXIT } from '../../exit-codes.js';
import { say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { configTemplate } from './config-view.js';

/** `$VISUAL`, then `$EDITOR`, then `vi`. Pure. */
export function pickEditor(env: NodeJS.ProcessEnv): string {
  for (const name of ['VISUAL', 'EDITOR'] as const) {
    const v = env[name]?.trim();
    if (v !== undefined && v !== '') return v;
  }
  return 'vi';
}

/** Runs the editor on `path` through the shell (so `code -w` works) on the user's terminal. */
function runEditor(editor: string, path: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', `${editor} "$1"`, 'astrid-config-edit', path], {
      stdio: 'inherit',
      env,
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

/**
 * `astrid config edit`: opens `<home>/etc/config.toml` (the file the daemon
 * reads), creating it from a commented template when missing; afterwards
 * validates it exactly as the daemon would. An invalid file is kept as
 * written and reported (exit 1).
 */
export async function configEdit(session: CliSession): Promise<number> {
  const io = session.io;
  const home = session.home;
  const path = configPath(home);
  await mkdir(home.etcDir, { recursive: true, mode: 0o700 });
  if ((await stat(path).catch(() => null)) === null) {
    await writeFileAtomic(path, configTemplate(path), { mode: 0o644 });
    say.info(io, `created ${path} from a commented template`);
  }
  const editor = pickEditor(session.env);
  const code = await runEditor(editor, path, session.env).catch((e: Error) => {
    throw new AstridError(
      'unavailable',
      `cannot run the editor ${JSON.stringify(editor)}: ${e.message}`,
    );
  });
  if (code !== 0) {
    throw new AstridError(
      'unavailable',
      `the editor (${editor}) exited with status ${code}; ${path} is left as it is`,
    );
  }
  try {
    await loadDaemonConfig(home, {}, {});
  } catch (e) {
    say.error(io, `error: ${e instanceof Error ? e.message : String(e)}`);
    io.err(`  hint: ${path} was kept as written; run astrid config edit again to fix it\n`);
    return EXIT.failure;
  }
  say.ok(io, `${path} is valid`);
  if (session.socketExists())
    say.info(
      io,
      'the daemon reads its configuration when it starts: restart it to apply the changes (astrid restart)',
    );
  return EXIT.ok;
}
