// Start-up of the `astrid` CLI: the wall time of `astrid version` (no daemon
// involved), spawned as a user would, from the build (`dist/`, what `npx
// astrid` runs) and from the TypeScript sources through tsx (what the tests
// run). Median of 15 runs after 2 warm-ups.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median, report } from './lib/measure.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 15;

function startupMs(args: readonly string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, [...args, 'version'], { cwd: ROOT, encoding: 'utf8' });
    const ms = performance.now() - started;
    if (r.status !== 0) throw new Error(`astrid version failed: ${r.stderr}`);
    if (i >= 2) times.push(ms);
  }
  return median(times);
}

const nodeOnly = startupMs(['-e', 'process.argv[1] === "version"', '--']);
report('node_start_floor', nodeOnly, 'ms', 'node -e, same machine');
const dist = `${ROOT}dist/cli/bin/astrid.js`;
if (existsSync(dist)) report('cli_start_dist', startupMs([dist]), 'ms', 'astrid version, built');
else console.log('cli_start_dist: skipped (no dist/; run `npm run build`)');
report(
  'cli_start_sources',
  startupMs(['--import', 'tsx', `${ROOT}src/cli/bin/astrid.ts`]),
  'ms',
  'astrid version, sources through tsx',
);
