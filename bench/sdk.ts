// The SDK's `echo` example capsule: `astrid build` time from a fresh cache
// and from the build cache, the component's size, and its invocation latency
// through the real engine — the first interceptor call after a load (cold)
// and the median of many calls (warm).

import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WasmEngine } from '../src/capsule/engines/wasm/wasm-engine.js';
import { ipcMessage } from '../src/events/ipc-message.js';
import { type BuildStep, buildCapsule } from '../src/sdk-build/build-capsule.js';
import { harness } from '../test/helpers/engine-harness.js';
import { median, report } from './lib/measure.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ECHO = join(ROOT, 'capsules', 'echo');
const CHILD_FLAG = '--build-once';
const COLD_BUILDS = 3;
const CACHED_BUILDS = 5;
const COLD_LOADS = 5;
const WARM_CALLS = 2000;

/**
 * A copy of the echo project with no build cache, laid out as a project of
 * its own: `node_modules` links to the repo's, and the tsconfig reaches the
 * SDK through it rather than through the repo's root.
 */
async function freshCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'astrid-bench-sdk-'));
  for (const f of ['Capsule.toml', 'package.json', 'src'])
    await cp(join(ECHO, f), join(dir, f), { recursive: true });
  const tsconfig = await readFile(join(ECHO, 'tsconfig.json'), 'utf8');
  await writeFile(
    join(dir, 'tsconfig.json'),
    tsconfig.replaceAll('../../node_modules/', 'node_modules/'),
  );
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

interface TimedBuild {
  readonly ms: number;
  readonly steps: string;
  readonly cached: boolean;
  readonly componentPath: string;
  readonly componentBytes: number;
  readonly archivePath: string | null;
}

/** One build in this process, timed as a whole and per step. */
async function timedBuild(dir: string): Promise<TimedBuild> {
  const marks: [BuildStep, number][] = [];
  const t0 = performance.now();
  const result = await buildCapsule(dir, {
    onStep: (step) => marks.push([step, performance.now()]),
  });
  const end = performance.now();
  const steps = marks
    .map(([step, at], i) => `${step} ${Math.round((marks[i + 1]?.[1] ?? end) - at)} ms`)
    .filter((s) => !s.startsWith('manifest') && !s.startsWith('world'))
    .join(', ');
  return {
    ms: end - t0,
    steps,
    cached: result.cached,
    componentPath: result.componentPath,
    componentBytes: result.componentBytes,
    archivePath: result.archivePath,
  };
}

/**
 * One build in a fresh process, as `astrid build` runs: ComponentizeJS and
 * its engine load once per process, which a cold build pays.
 */
function buildInChild(dir: string): TimedBuild {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), CHILD_FLAG, dir],
    { encoding: 'utf8', timeout: 300_000 },
  );
  if (child.status !== 0)
    throw new Error(
      `building ${dir} failed (exit ${child.status ?? child.signal}): ${child.stderr}`,
    );
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as TimedBuild;
}

const echoTables = `
[publish]
"echo.v1.out" = { wit = "opaque" }
[subscribe]
"echo.v1.in" = { wit = "opaque", handler = "echo" }
`;

const caller = ipcMessage({
  topic: 'echo.v1.in',
  payload: { type: 'connect' },
  principal: 'default',
  sourceId: '11111111-1111-4111-8111-111111111111',
});
const body = new TextEncoder().encode(JSON.stringify({ text: 'hello', n: 1 }));

async function invoke(engine: WasmEngine): Promise<number> {
  const t = performance.now();
  const out = await engine.invokeInterceptor('echo', body, caller);
  const ms = performance.now() - t;
  if (out.kind !== 'continue') throw new Error(`echo answered ${JSON.stringify(out)}`);
  return ms;
}

if (process.argv[2] === CHILD_FLAG) {
  console.log(JSON.stringify(await timedBuild(process.argv[3] as string)));
  process.exit(0);
}

const dirs: string[] = [];
const h = await harness();
try {
  // --- build ------------------------------------------------------------------
  const colds: TimedBuild[] = [];
  for (let i = 0; i < COLD_BUILDS; i++) {
    const fresh = await freshCopy();
    dirs.push(fresh);
    const build = buildInChild(fresh);
    if (build.cached) throw new Error('a fresh copy unexpectedly hit a build cache');
    colds.push(build);
  }
  const coldMs = median(colds.map((c) => c.ms));
  const cold = colds.find((c) => c.ms === coldMs) ?? (colds[0] as TimedBuild);
  report(
    'sdk_build_cold',
    coldMs / 1000,
    's',
    `echo from a fresh cache, fresh process each, median of ${COLD_BUILDS}: ${cold.steps}`,
  );
  const cachedRuns: TimedBuild[] = [];
  for (let i = 0; i < CACHED_BUILDS; i++) {
    const again = buildInChild(dirs[0] as string);
    if (!again.cached)
      throw new Error('a rebuild missed the build cache (did the SDK sources change meanwhile?)');
    cachedRuns.push(again);
  }
  const cachedMs = median(cachedRuns.map((c) => c.ms));
  const cached = cachedRuns.find((c) => c.ms === cachedMs) ?? (cachedRuns[0] as TimedBuild);
  report(
    'sdk_build_cached',
    cachedMs / 1000,
    's',
    `the same project again, fresh process each, median of ${CACHED_BUILDS}: ${cached.steps}`,
  );
  report('sdk_build_cold_vs_cached_ratio', coldMs / cachedMs, 'x');

  const componentBytes = cold.componentBytes;
  report('sdk_component_size', componentBytes / (1024 * 1024), 'MiB', `${componentBytes} bytes`);
  if (cold.archivePath !== null) {
    const archive = (await stat(cold.archivePath)).size;
    report('sdk_capsule_archive_size', archive / (1024 * 1024), 'MiB', 'gzip .capsule');
  }

  // --- invocation -------------------------------------------------------------
  const component = await readFile(cold.componentPath);
  const loads: number[] = [];
  const firsts: number[] = [];
  for (let i = 0; i < COLD_LOADS; i++) {
    const t = performance.now();
    const engine = await h.engine(`echo-${i}`, component, echoTables);
    loads.push(performance.now() - t);
    firsts.push(await invoke(engine));
    await engine.unload();
  }
  report(
    'sdk_echo_load',
    median(loads),
    'ms',
    `install + load, median of ${COLD_LOADS}; first ${Math.round(loads[0] as number)} ms builds the engine artifacts`,
  );
  report(
    'sdk_echo_cold_call',
    median(firsts),
    'ms',
    `first interceptor call after load, median of ${COLD_LOADS} loads`,
  );

  const engine = await h.engine('echo-warm', component, echoTables);
  for (let i = 0; i < 50; i++) await invoke(engine);
  const warm: number[] = [];
  for (let i = 0; i < WARM_CALLS; i++) warm.push(await invoke(engine));
  const warmMs = median(warm);
  report('sdk_echo_warm_call', warmMs, 'ms', `median of ${WARM_CALLS} serial calls`);
  report('sdk_echo_cold_vs_warm_ratio', median(firsts) / warmMs, 'x');
} finally {
  await h.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
}
