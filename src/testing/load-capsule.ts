import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { AstridError } from '../core/errors.js';
import { DEFAULT_PRINCIPAL, parsePrincipalId } from '../core/ids/principal-id.js';
import { type BuildStep, buildCapsule } from '../sdk-build/build-capsule.js';
import { BusRecorder } from './bus-recorder.js';
import { InvocationTracker } from './invocation-tracker.js';
import { stageCapsule } from './stage-capsule.js';
import { TestCapsule } from './test-capsule.js';
import { TestKernel } from './test-kernel.js';

export const DEFAULT_TIMEOUT_MS = 5_000;

export interface LoadCapsuleOptions {
  /** Run `tsc --noEmit` on the project first (default false: the test run or the editor type-checks). */
  readonly typecheck?: boolean;
  /** Who publishes, calls tools and owns the KV view by default (default `default`, the daemon's local user). */
  readonly principal?: string;
  /** How long `waitFor`, a run-loop capsule's answers and its readiness may take (default 5 s). */
  readonly timeoutMs?: number;
  /** Operator values for the capsule's `[env]` keys, as `astrid capsule config` would set them. */
  readonly env?: Readonly<Record<string, string>>;
  /** Build progress (`bundle`, `componentize`, …). */
  readonly onStep?: (step: BuildStep, detail: string) => void;
}

/**
 * Builds the capsule project in `dir` (with the same build cache as
 * `astrid build`, so a later build is a cache hit) and runs it under the
 * real engine in this process, without a daemon: a temporary Astrid home,
 * the kernel's state over an in-memory SQLite database, the event bus, and
 * the kernel's own install, load and dispatch. The capsule is installed
 * (its install hook runs) and loaded as the daemon would; publishing an
 * event runs its interceptors with the topic bindings of its Capsule.toml.
 * Call `close()` when done.
 */
export async function loadCapsule(
  dir: string,
  options: LoadCapsuleOptions = {},
): Promise<TestCapsule> {
  const project = resolve(dir);
  if (!existsSync(project))
    throw new AstridError('not-found', `capsule project directory ${project} does not exist`);
  const principal = parsePrincipalId(options.principal ?? DEFAULT_PRINCIPAL);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const build = await buildCapsule(project, {
    skipPack: true,
    skipTypecheck: options.typecheck !== true,
    ...(options.onStep === undefined ? {} : { onStep: options.onStep }),
  });
  const name = build.manifest.package.name;
  const root = await mkdtemp(join(tmpdir(), 'astrid-testing-'));
  let kernel: TestKernel | null = null;
  let recorder: BusRecorder | null = null;
  try {
    kernel = await TestKernel.start({
      root,
      artifactCache: join(project, '.astrid', 'artifacts'),
    });
    const source = join(root, 'capsule');
    await stageCapsule(project, build.manifest, build.componentPath, source);
    if (options.env !== undefined) {
      const file = kernel.home.envFile(name);
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      await writeFile(file, `${JSON.stringify(options.env, null, 2)}\n`, { mode: 0o600 });
    }
    const tracker = new InvocationTracker();
    const registry = kernel.capsules.registry;
    registry.onChange(() => tracker.attach(registry.list()));
    recorder = new BusRecorder(kernel.bus);
    await kernel.capsules.install(source);
    const capsule = registry.get(name);
    if (capsule === undefined)
      throw new AstridError('internal', `capsule ${name} was installed but is not loaded`);
    const status = await capsule.waitReady(timeoutMs);
    if (status === 'crashed') {
      const errors = kernel.lines
        .filter((l) => l.fields.capsule === name && (l.level === 'error' || l.level === 'warn'))
        .map(
          (l) =>
            `\n  ${l.message ?? ''}${typeof l.fields.err === 'string' ? `: ${l.fields.err}` : ''}`,
        );
      throw new AstridError(
        'unavailable',
        `the run loop of capsule ${name} exited before it signalled ready${errors.join('')}`,
      );
    }
    return new TestCapsule({
      kernel,
      recorder,
      tracker,
      capsule,
      build: {
        componentPath: build.componentPath,
        componentBytes: build.componentBytes,
        cached: build.cached,
      },
      principal,
      timeoutMs,
    });
  } catch (e) {
    if (kernel !== null) await kernel.close().catch(() => {});
    else await rm(root, { recursive: true, force: true });
    await recorder?.close();
    throw e;
  }
}
