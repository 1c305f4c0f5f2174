// The dispatcher: event → interceptor latency (a compiled-style interceptor
// that republishes its payload), a 1,000-principal burst through one pooled
// capsule, and daemon boot-to-ready with 10 capsules and cached artifacts
// (the built daemon, as users run it).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installFromDirectory } from '../src/capsule/install/install-capsule.js';
import { silentLogger } from '../src/core/logger.js';
import { ipcEvent } from '../src/events/astrid-event.js';
import { ipcMessage } from '../src/events/ipc-message.js';
import { rawJson } from '../src/events/ipc-payload.js';
import { AstridHome } from '../src/storage/home/astrid-home.js';
import { componentFromWat } from '../test/helpers/components.js';
import { ECHO_HOOK_WAT, ECHO_HOOK_WORLD } from '../test/helpers/guests.js';
import { bootKernel } from '../test/helpers/kernel-harness.js';
import { fileTempDir } from '../test/helpers/temp-dir.js';
import { median, report } from './lib/measure.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const component = await componentFromWat(ECHO_HOOK_WAT, ECHO_HOOK_WORLD, 'echo');

async function installEcho(home: AstridHome, name: string): Promise<void> {
  const dir = await fileTempDir('astrid-echo-');
  await writeFile(
    join(dir, 'Capsule.toml'),
    `[package]\nname = "${name}"\nversion = "1.0.0"\n\n[[component]]\nfile = "echo.wasm"\n\n[publish]\n"bench.out" = "opaque"\n\n[subscribe]\n"bench.in" = { wit = "opaque", handler = "echo" }\n`,
  );
  await writeFile(join(dir, 'echo.wasm'), component);
  await installFromDirectory(dir, home);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

// --- latency and burst, in process ------------------------------------------
{
  const home = new AstridHome(join(await fileTempDir('astrid-bd-'), 'h'));
  await home.ensure();
  await installEcho(home, 'echo');
  const h = await bootKernel({ home, logger: silentLogger });
  try {
    const out = h.kernel.bus.subscribeRouted({
      capsuleUuid: 'bench',
      pattern: 'bench.out',
      capsuleLabel: 'bench',
      budgetBytes: 64 * 1024 * 1024,
      maxQueueMessages: 16_384,
    });
    const send = (i: number, principal: string) =>
      h.kernel.bus.publish(
        ipcEvent(ipcMessage({ topic: 'bench.in', payload: rawJson({ i }), principal })),
      );
    for (let i = 0; i < 200; i++) {
      send(i, 'default');
      await out.recv(5000);
    }
    const latencies: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t = performance.now();
      send(i, 'default');
      if ((await out.recv(5000)) === null) throw new Error('an event got no answer');
      latencies.push(performance.now() - t);
    }
    report(
      'dispatch_latency_median',
      median(latencies) * 1000,
      'µs',
      'bus publish → pooled interceptor → its publish observed',
    );
    report('dispatch_latency_p99', percentile(latencies, 99) * 1000, 'µs');

    const burst = 1000;
    const before = { ...h.kernel.capsules.dispatcher.stats };
    const started = performance.now();
    for (let i = 0; i < burst; i++) send(i, `principal-${i}`);
    let received = 0;
    while (received < burst) {
      const batch = await out.recvBatch(64 * 1024 * 1024, 30_000);
      if (batch.length === 0) break;
      received += batch.length;
    }
    const stats = h.kernel.capsules.dispatcher.stats;
    report(
      'dispatch_burst_delivered',
      received,
      `of ${burst}`,
      `${burst} distinct principals, one pooled capsule; target ${burst}/${burst}`,
    );
    report('dispatch_burst_dropped', stats.dropped - before.dropped, 'events', 'target 0');
    report('dispatch_burst_seconds', (performance.now() - started) / 1000, 's');
    out.close();
  } finally {
    await h.close();
  }
}

// --- boot-to-ready with 10 capsules, the built daemon --------------------------
{
  const build = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
    {
      encoding: 'utf8',
    },
  );
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
  const homePath = join(await fileTempDir('astrid-bb-'), 'h');
  const home = new AstridHome(homePath);
  await home.ensure();
  for (let i = 0; i < 10; i++) await installEcho(home, `echo-${i}`);
  await mkdir(join(homePath, 'run'), { recursive: true });
  const ready = join(homePath, 'run', 'system.ready');
  const bootOnce = async (): Promise<number> => {
    rmSync(ready, { force: true });
    const started = performance.now();
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli/bin/astrid-daemon.js')], {
      env: { ...process.env, ASTRID_HOME: homePath },
      stdio: 'ignore',
    });
    while (!existsSync(ready)) {
      if (child.exitCode !== null) throw new Error('the daemon exited during boot');
      await new Promise((r) => setTimeout(r, 2));
    }
    const ms = performance.now() - started;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    return ms;
  };
  const first = await bootOnce();
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) runs.push(await bootOnce());
  report('daemon_boot_first_ms', first, 'ms', '10 capsules, artifacts built on this boot');
  report(
    'daemon_boot_to_ready_ms',
    median(runs),
    'ms',
    '10 pooled capsules, cached artifacts, process spawn → ready file; target ≤ 1000',
  );
}
