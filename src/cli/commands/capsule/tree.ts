import { discoverCapsules } from '../../../capsule/discovery/discover-capsules.js';
import { recordingLogger } from '../../../core/logger.js';
import { type OutputFormat, printStructured, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { buildTree, renderTree } from './capsule-tree.js';
import { capsuleSearchRoots } from './installed-capsule.js';

/** `astrid capsule tree [--format]`: the installed capsules' import/export graph, read from disk. */
export async function capsuleTree(session: CliSession, format: OutputFormat): Promise<number> {
  const io = session.io;
  const log = recordingLogger();
  const found = await discoverCapsules(capsuleSearchRoots(session.home, process.cwd()), log);
  const tree = buildTree(found.map((c) => ({ dir: c.dir, manifest: c.manifest })));
  for (const line of log.lines.filter((l) => l.level === 'warn')) {
    const dir = typeof line.fields.dir === 'string' ? line.fields.dir : '';
    const err = typeof line.fields.err === 'string' ? `: ${line.fields.err}` : '';
    say.warn(io, `${line.message ?? 'warning'} ${dir}${err}`.trim());
  }
  if (format !== 'pretty') {
    printStructured(io, tree, format);
    return 0;
  }
  if (tree.capsules.length === 0) {
    say.info(io, 'no capsules installed');
    return 0;
  }
  io.out(`${renderTree(tree).join('\n')}\n`);
  for (const u of tree.unsatisfied)
    say.warn(io, `${u.reason}; the daemon does not load ${u.capsule}`);
  if (tree.cycle !== null)
    say.warn(
      io,
      `dependency cycle among: ${tree.cycle.join(', ')}; the daemon loads them in discovery order`,
    );
  return 0;
}
