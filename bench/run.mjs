#!/usr/bin/env node
// Runs benchmarks: `npm run bench` runs every bench/<name>.ts, `npm run bench -- <name> [...]` the named ones.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : available) {
  console.log(`# ${name}`);
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(here, `${name}.ts`)],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) {
    console.error(`benchmark ${name} failed (exit ${result.status ?? result.signal})`);
    failed++;
  }
}
process.exit(failed === 0 ? 0 : 1);
