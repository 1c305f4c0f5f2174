// Builds every example capsule under capsules/ (or the ones named on the
// command line) with the SDK build: `npm run build:capsules [-- echo ticker]`.
// The first build of each takes ~20 s (ComponentizeJS); later ones come from
// the capsule's build cache (capsules/<name>/.astrid/build-cache/).
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildStep, buildCapsule } from '../src/sdk-build/build-capsule.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CAPSULES = join(ROOT, 'capsules');

async function projects(): Promise<string[]> {
  const entries = await readdir(CAPSULES, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && existsSync(join(CAPSULES, e.name, 'Capsule.toml')))
    .map((e) => e.name)
    .sort();
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

const available = await projects();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length > 0) {
  console.error(
    `no capsule project named ${unknown.join(', ')} under capsules/; available: ${available.join(', ')}`,
  );
  process.exit(2);
}
const names = wanted.length > 0 ? wanted : available;
const failed: string[] = [];
const started = Date.now();
for (const name of names) {
  const dir = join(CAPSULES, name);
  const t0 = Date.now();
  console.log(`▸ ${name}`);
  try {
    const result = await buildCapsule(dir, {
      onStep: (step: BuildStep, detail: string) =>
        console.log(`  ${seconds(Date.now() - t0).padStart(7)}  ${step.padEnd(12)} ${detail}`),
    });
    const archive = result.archivePath === null ? '' : relative(ROOT, result.archivePath);
    console.log(
      `✓ ${name} ${result.manifest.package.version}: ${archive} (component ${mib(result.componentBytes)}, ${result.cached ? 'cached' : 'componentized'}, ${seconds(Date.now() - t0)})`,
    );
  } catch (e) {
    failed.push(name);
    console.error(
      `✗ ${name} failed after ${seconds(Date.now() - t0)}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
const built = names.length - failed.length;
console.log(
  `${built}/${names.length} capsule(s) built in ${seconds(Date.now() - started)}${failed.length > 0 ? `; failed: ${failed.join(', ')}` : ''}`,
);
process.exit(failed.length === 0 ? 0 : 1);
