import { stat } from 'node:fs/promises';
import { configPath } from '../../../kernel/config/load-config.js';
import { type OutputFormat, printStructured } from '../../output.js';
import { renderTable } from '../../render/table.js';
import type { CliSession } from '../../session/cli-session.js';
import { configEnvVars } from './config-view.js';

/** `astrid config path [--format]`: the config file the daemon reads and the environment variables it honours. */
export async function configPathVerb(session: CliSession, format: OutputFormat): Promise<number> {
  const io = session.io;
  const file = configPath(session.home);
  const found = (await stat(file).catch(() => null))?.isFile() === true;
  const vars = [{ name: 'ASTRID_HOME', key: '(the Astrid home)' }, ...configEnvVars()].map((v) => ({
    ...v,
    value: session.env[v.name] ?? null,
  }));
  if (format !== 'pretty') {
    printStructured(
      io,
      { home: session.home.root, files: [{ path: file, found }], env: vars },
      format,
    );
    return 0;
  }
  io.out(`Config files read by astrid-daemon:\n  ${file}  (${found ? 'found' : 'not found'})\n\n`);
  io.out(
    'Environment variables (a file value wins over the environment; a flag wins over both):\n',
  );
  io.out(
    renderTable(
      ['VARIABLE', 'SETS', 'VALUE'],
      vars.map((v) => [v.name, v.key, v.value ?? '(not set)']),
    )
      .split('\n')
      .map((l) => (l === '' ? l : `  ${l}`))
      .join('\n'),
  );
  return 0;
}
