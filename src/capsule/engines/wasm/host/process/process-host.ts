import { realpathSync } from 'node:fs';
import { checkPrincipalId, type PrincipalId } from '../../../../../core/ids/principal-id.js';
import { isTopicSegment } from '../../../../../core/topics/topic-syntax.js';
import type { HostFunction } from '../host-dispatcher.js';
import { NewResource } from '../host-dispatcher.js';
import { HostError } from '../host-error.js';
import type { InstanceState } from '../instance-state.js';
import { isWithin } from '../path-within.js';
import { POLLABLE_TYPE, PollableResource } from '../readiness.js';
import { resolveChildCwd } from './child-cwd.js';
import { commandAllowed, commandLine } from './command-gate.js';
import { guestExit } from './exit-info.js';
import type { ManagedChild } from './managed-child.js';
import {
  DEFAULT_STOP_GRACE_MS,
  MAX_STOP_GRACE_MS,
  noSuchProcess,
  type PersistentEntry,
} from './persistent-registry.js';
import {
  MAX_PROCESS_HANDLES,
  PROCESS_HANDLE_TYPE,
  ProcessHandleResource,
} from './process-handle.js';
import {
  type ChildView,
  closeStdin,
  collectOutput,
  killChild,
  MAX_STDIN_WRITE,
  readLogs,
  sendSignal,
  waitExit,
  writeStdin,
} from './process-ops.js';
import { type LogStream, ProcessOutput } from './process-output.js';
import { resolveProgram } from './sandbox.js';
import { childEnvironment, hasLimits, type SandboxPlan } from './sandbox-plan.js';
import { sandboxRoots, visibleIn, writableIn } from './sandbox-roots.js';
import {
  checkSpawnRequest,
  DEFAULT_RING_BYTES,
  type GuestSpawnRequest,
  type SpawnSpec,
} from './spawn-request.js';

const PROCESS = 'astrid:process/host@1.0.0';
/** The host's ceiling on concurrent background + persistent processes per principal. */
export const HOST_PROCESS_CAP = 8;
export const MAX_READ_SINCE = 4 * 1024 * 1024;

function audit(state: InstanceState, fn: string, fields: Record<string, unknown>): void {
  state.host.logger.debug(
    {
      audit: 'astrid.audit.process',
      capsule_id: state.host.capsuleId,
      principal: state.effectivePrincipal,
      fn: `${PROCESS}.${fn}`,
      ...fields,
    },
    'host call',
  );
}

/** Where the sandbox mounts the host's programs and libraries (read-only). */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

function realOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** Gate, sandbox and plan for one spawn; throws the contract's errors. */
function plan(state: InstanceState, spec: SpawnSpec, fn: string): SandboxPlan {
  const host = state.host;
  const caps = host.manifest.capabilities;
  if (host.lifecycle)
    throw new HostError(
      'capability-denied',
      'processes cannot be spawned by install or upgrade hooks',
    );
  if (!commandAllowed(caps.hostProcess, spec.cmd, spec.args)) {
    audit(state, fn, { cmd: spec.cmd, args: spec.args.length, error: 'capability-denied' });
    throw new HostError(
      'capability-denied',
      `\`${commandLine(spec.cmd, spec.args).slice(0, 200)}\` is not allowed by the capsule's host_process list`,
    );
  }
  const sandbox = host.services.sandbox;
  if (!sandbox.state.available)
    throw new HostError(
      'unknown',
      `spawn failed: ${sandbox.state.reason}`,
      `spawn failed: ${sandbox.state.reason}`,
    );
  const scope = state.scope();
  const roots = sandboxRoots(
    {
      fsRead: caps.fsRead,
      fsWrite: caps.fsWrite,
      workspace: host.services.workspace,
      home: scope.home,
    },
    realOrNull,
  );
  const tmpReal = scope.tmp === null ? null : realOrNull(scope.tmp);
  const tmp = tmpReal !== null && writableIn(roots, tmpReal) ? tmpReal : null;
  const cwd = resolveChildCwd(spec.cwd, {
    workspace: realOrNull(host.services.workspace) ?? host.services.workspace,
    home: scope.home === null ? null : realOrNull(scope.home),
    tmp,
    roots,
  });
  const home =
    scope.home !== null && visibleIn(roots, realOrNull(scope.home) ?? scope.home)
      ? (realOrNull(scope.home) ?? scope.home)
      : '/tmp';
  const env = childEnvironment(spec.env, home);
  const path = env.find(([k]) => k === 'PATH')?.[1] ?? '';
  const program = resolveProgram(spec.cmd, cwd.host, path);
  if (program === null)
    throw new HostError(
      'unknown',
      `spawn failed: ${spec.cmd}: command not found`,
      `spawn failed: ${spec.cmd}: command not found`,
    );
  const real = realOrNull(program) ?? program;
  if (!SYSTEM_DIRS.some((d) => isWithin(real, d)) && !visibleIn(roots, real)) {
    throw new HostError(
      'unknown',
      `spawn failed: ${spec.cmd} is outside the sandbox`,
      `spawn failed: ${spec.cmd} is outside the sandbox`,
    );
  }
  if (hasLimits(spec.limits)) {
    if (sandbox.prlimit === null)
      throw new HostError(
        'unknown',
        'spawn failed: resource limits need prlimit (util-linux)',
        'spawn failed: prlimit missing',
      );
    if (spec.limits.maxPids !== null && process.geteuid?.() === 0) {
      throw new HostError(
        'invalid-input',
        'max-pids cannot be enforced while the daemon runs as root (Linux exempts root from the process-count limit); leave it unset or run the daemon as a regular user',
      );
    }
  }
  return {
    system: sandbox.system,
    roots,
    tmp,
    network: caps.net.length > 0 || caps.netConnect.length > 0,
    cwd: cwd.sandbox,
    env,
    limits: spec.limits,
    prlimit: sandbox.prlimit,
    program,
    args: spec.args,
  };
}

async function start(
  state: InstanceState,
  spec: SpawnSpec,
  p: SandboxPlan,
  keepStdin: boolean,
): Promise<ManagedChild> {
  const wantStdin = spec.stdin !== null || keepStdin;
  let child: ManagedChild;
  try {
    child = await state.host.services.sandbox.start(p, wantStdin);
  } catch (e) {
    const m = e instanceof Error ? e.message : String(e);
    throw new HostError('unknown', `spawn failed: ${m}`, `spawn failed: ${m}`);
  }
  if (wantStdin && child.stdin !== null) {
    if (spec.stdin !== null && spec.stdin.length > 0) {
      try {
        await new Promise<void>((resolve, reject) => {
          child.stdin?.write(spec.stdin as Uint8Array, (err) => (err ? reject(err) : resolve()));
        });
      } catch (e) {
        if (!keepStdin || child.running) {
          child.kill();
          throw new HostError(
            'unknown',
            `writing the stdin prelude failed: ${e instanceof Error ? e.message : String(e)}`,
            'stdin prelude failed',
          );
        }
      }
    }
    if (!keepStdin) child.stdin.end();
  }
  return child;
}

/** The concurrent background + persistent cap for a principal: min(profile, host cap). */
async function concurrencyCap(state: InstanceState, principal: PrincipalId): Promise<number> {
  try {
    const profile = await state.host.profiles.resolve(principal);
    return Math.min(profile.quotas.maxBackgroundProcesses, HOST_PROCESS_CAP);
  } catch {
    return 0;
  }
}

function ownHandles(state: InstanceState, principal: string): number {
  return state.resources.countWhere<ProcessHandleResource>(
    PROCESS_HANDLE_TYPE,
    (h) => h.attached === null && h.principal === principal,
  );
}

async function checkConcurrency(state: InstanceState, principal: PrincipalId): Promise<void> {
  const cap = await concurrencyCap(state, principal);
  const used = ownHandles(state, principal) + state.host.persistent.live(principal);
  if (used >= cap) {
    throw new HostError(
      'quota',
      `principal ${principal} may run ${cap} background or persistent processes at once (running: ${used})`,
    );
  }
}

function track(state: InstanceState, child: ManagedChild): () => void {
  const callId = state.caller?.callId ?? null;
  return callId === null ? () => {} : state.host.processes.track(callId, child);
}

function entryView(entry: PersistentEntry): ChildView {
  return entry;
}

function handle(self: unknown): ProcessHandleResource {
  if (!(self instanceof ProcessHandleResource))
    throw new HostError('closed', 'the process handle is not live');
  self.touch();
  return self;
}

function optionalMs(v: unknown): number | null {
  if (v === undefined || v === null) return null;
  const n = typeof v === 'bigint' ? v : BigInt(Number(v));
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

function find(state: InstanceState, id: unknown): PersistentEntry {
  const entry = state.host.persistent.find(
    String(id),
    state.effectivePrincipal,
    state.host.capsuleId,
  );
  return entry;
}

function touch(entry: PersistentEntry): PersistentEntry {
  entry.lastTouch = Date.now();
  return entry;
}

async function info(entry: PersistentEntry) {
  await entry.child.sample();
  const child = entry.child;
  const now = Date.now();
  const exit = child.exit;
  return {
    id: entry.id,
    label: entry.label,
    command: entry.command,
    ...(child.running && child.pid !== null ? { osPid: child.pid } : {}),
    phase: child.running ? 'running' : 'exited',
    ...(exit === null ? {} : { exit: guestExit(exit) }),
    ageMs: BigInt(now - child.startedAt),
    idleMs: BigInt(now - entry.lastTouch),
    bufferedBytes: BigInt(entry.output.buffered),
    bytesDropped: BigInt(entry.output.dropped),
    stdinOpen: entry.stdinOpen,
    ...(child.cpuMs === null ? {} : { cpuMs: BigInt(child.cpuMs) }),
    ...(child.memPeakBytes === null ? {} : { memBytesPeak: BigInt(child.memPeakBytes) }),
  };
}

function cursorOf(raw: unknown): number | null {
  const token = (raw as { token?: string | null } | undefined)?.token;
  if (token === undefined || token === null) return null;
  if (!/^[0-9a-f]{16}$/.test(token)) throw noSuchProcess();
  const n = BigInt(`0x${token}`);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw noSuchProcess();
  return Number(n);
}

const cursorToken = (n: number) => n.toString(16).padStart(16, '0');

const SUFFIX_SEGMENT = /^[a-z0-9_-]+$/;

const H = PROCESS_HANDLE_TYPE;

/** `astrid:process`: sandboxed children — one-shot, background (per instance) and persistent (per capsule). */
export const PROCESS_HOST: ReadonlyArray<readonly [string, HostFunction]> = [
  [
    `${PROCESS}#spawn`,
    async (state, args) => {
      const started = Date.now();
      const spec = checkSpawnRequest(args[0] as GuestSpawnRequest, false);
      const p = plan(state, spec, 'spawn');
      const child = await start(state, spec, p, false);
      const untrack = track(state, child);
      const view: ChildView = {
        child,
        output: new ProcessOutput(
          child.stdout,
          child.stderr,
          DEFAULT_RING_BYTES,
          'backpressure',
          () => child.changes.notify(),
        ),
        stdinOpen: false,
      };
      try {
        const out = await collectOutput(
          view,
          null,
          state.signal,
          () => new HostError('cancelled', 'cancelled'),
        );
        audit(state, 'spawn', {
          cmd: spec.cmd,
          args: spec.args.length,
          exit: out.exit,
          elapsed_ms: Date.now() - started,
        });
        return { stdout: out.stdout, stderr: out.stderr, exit: guestExit(out.exit) };
      } catch (e) {
        child.kill();
        audit(state, 'spawn', { cmd: spec.cmd, error: e instanceof HostError ? e.tag : String(e) });
        throw e;
      } finally {
        untrack();
      }
    },
  ],
  [
    `${PROCESS}#spawnBackground`,
    async (state, args) => {
      const spec = checkSpawnRequest(args[0] as GuestSpawnRequest, false);
      const principal = state.effectivePrincipal;
      const p = plan(state, spec, 'spawn-background');
      if (
        state.resources.countWhere<ProcessHandleResource>(H, (h) => h.attached === null) >=
        MAX_PROCESS_HANDLES
      )
        throw new HostError('quota', `at most ${MAX_PROCESS_HANDLES} process handles per instance`);
      await checkConcurrency(state, principal);
      if (state.signal.aborted) throw new HostError('cancelled', 'cancelled');
      const child = await start(state, spec, p, spec.keepStdinOpen);
      const output = new ProcessOutput(
        child.stdout,
        child.stderr,
        spec.ringBytes,
        spec.overflow,
        () => child.changes.notify(),
      );
      const resource = new ProcessHandleResource(
        principal,
        { child, output, stdinOpen: spec.keepStdinOpen },
        null,
        track(state, child),
      );
      audit(state, 'spawn-background', { cmd: spec.cmd, args: spec.args.length, pid: child.pid });
      return new NewResource(H, resource);
    },
  ],
  [
    `${PROCESS}#spawnPersistent`,
    async (state, args) => {
      const caps = state.host.manifest.capabilities;
      const spec = checkSpawnRequest(args[0] as GuestSpawnRequest, true);
      if (state.host.lifecycle || !commandAllowed(caps.hostProcess, spec.cmd, spec.args)) {
        throw new HostError(
          'capability-denied',
          `\`${commandLine(spec.cmd, spec.args).slice(0, 200)}\` is not allowed by the capsule's host_process list`,
        );
      }
      if (!caps.allowPersistent)
        throw new HostError(
          'capability-denied',
          'persistent processes need allow_persistent in the capsule manifest',
        );
      const raw = state.caller?.principal;
      const authenticated = raw == null ? null : checkPrincipalId(raw);
      if (authenticated === null || !authenticated.ok) {
        throw new HostError(
          'persist-unsupported',
          'a persistent process needs an authenticated caller principal',
        );
      }
      const sandbox = state.host.services.sandbox.state;
      if (!sandbox.available)
        throw new HostError(
          'persist-unsupported',
          `persistent processes need the sandbox: ${sandbox.reason}`,
        );
      const p = plan(state, spec, 'spawn-persistent');
      const principal = authenticated.value;
      if (state.signal.aborted) throw new HostError('cancelled', 'cancelled');
      await checkConcurrency(state, principal);
      const registry = state.host.persistent;
      registry.checkRoom(principal);
      const child = await start(state, spec, p, spec.keepStdinOpen);
      const { id, key, short } = registry.mint();
      const entry: PersistentEntry = {
        id,
        key,
        short,
        principal,
        capsule: state.host.capsuleId,
        label: spec.label,
        command: commandLine(spec.cmd, spec.args),
        child,
        output: new ProcessOutput(child.stdout, child.stderr, spec.ringBytes, spec.overflow, () => {
          child.changes.notify();
          registry.outputChanged(entry);
        }),
        spec,
        lastTouch: Date.now(),
        stdinOpen: spec.keepStdinOpen,
        watchSuffix: null,
        lastOutputEvent: 0,
        outputEventTimer: null,
        reaped: false,
      };
      registry.add(entry);
      audit(state, 'spawn-persistent', { cmd: spec.cmd, args: spec.args.length, process: short });
      return id;
    },
  ],
  [
    `${PROCESS}#attach`,
    (state, args) => {
      const entry = touch(find(state, args[0]));
      return new NewResource(H, new ProcessHandleResource(state.effectivePrincipal, entry, entry));
    },
  ],
  [
    `${PROCESS}#listProcesses`,
    async (state, args) => {
      const filter = typeof args[0] === 'string' ? args[0] : null;
      const entries = state.host.persistent
        .list(state.effectivePrincipal, state.host.capsuleId)
        .filter((e) => filter === null || e.label.includes(filter));
      return Promise.all(entries.map(info));
    },
  ],
  [`${PROCESS}#status`, async (state, args) => info(find(state, args[0]))],
  [
    `${PROCESS}#statusMany`,
    async (state, args) => {
      const out = [];
      for (const id of (args[0] as unknown[]) ?? []) {
        const entry = state.host.persistent.lookup(
          String(id),
          state.effectivePrincipal,
          state.host.capsuleId,
        );
        if (entry !== null) out.push(await info(entry));
      }
      return out;
    },
  ],
  [
    `${PROCESS}#readLogs`,
    (state, args) => {
      const entry = touch(find(state, args[0]));
      audit(state, 'read-logs', { process: entry.short });
      return readLogs(entryView(entry));
    },
  ],
  [
    `${PROCESS}#readSince`,
    (state, args) => {
      const entry = touch(find(state, args[0]));
      const stream = args[1] as LogStream;
      if (stream !== 'stdout' && stream !== 'stderr')
        throw new HostError('invalid-input', `unknown log stream ${String(stream)}`);
      const cursor = cursorOf(args[2]);
      const max = Math.min(Math.max(0, Number(args[3] ?? 0)), MAX_READ_SINCE);
      const ring = entry.output.ring(stream);
      const slice = ring.readSince(cursor, max);
      const drainedEof = !entry.child.running && entry.output.complete && slice.next >= ring.end;
      return {
        data: slice.data,
        next: { token: cursorToken(slice.next) },
        bytesDropped: BigInt(slice.bytesDropped),
        drainedEof,
      };
    },
  ],
  [
    `${PROCESS}#writeStdin`,
    async (state, args) => {
      const data = args[1] as Uint8Array;
      if (data.length > MAX_STDIN_WRITE)
        throw new HostError(
          'too-large',
          `write-stdin takes at most ${MAX_STDIN_WRITE} bytes per call`,
        );
      const entry = touch(find(state, args[0]));
      return state.host.services.io.run(() => writeStdin(entryView(entry), data));
    },
  ],
  [
    `${PROCESS}#closeStdin`,
    (state, args) => {
      closeStdin(entryView(touch(find(state, args[0]))));
    },
  ],
  [
    `${PROCESS}#signal`,
    (state, args) => {
      const entry = touch(find(state, args[0]));
      audit(state, 'signal', { process: entry.short, signal: args[1] });
      sendSignal(entryView(entry), String(args[1]));
    },
  ],
  [
    `${PROCESS}#wait`,
    async (state, args) => {
      const entry = touch(find(state, args[0]));
      return guestExit(await waitExit(entryView(entry), optionalMs(args[1]) ?? 0, state.signal));
    },
  ],
  [
    `${PROCESS}#stop`,
    async (state, args) => {
      const entry = touch(find(state, args[0]));
      const grace = Math.min(optionalMs(args[1]) ?? DEFAULT_STOP_GRACE_MS, MAX_STOP_GRACE_MS);
      let exit: Awaited<ReturnType<typeof state.host.persistent.stop>>;
      try {
        exit = await state.host.persistent.stop(entry, grace, state.signal);
      } catch {
        throw new HostError('cancelled', 'the stop was cancelled');
      }
      state.host.persistent.event(entry, 'stopped', { exit: guestExit(exit) });
      state.host.persistent.remove(entry);
      audit(state, 'stop', { process: entry.short, exit });
      return guestExit(exit);
    },
  ],
  [
    `${PROCESS}#releaseProcess`,
    (state, args) => {
      const entry = state.host.persistent.lookup(
        String(args[0]),
        state.effectivePrincipal,
        state.host.capsuleId,
      );
      if (entry === null) return;
      if (entry.child.running)
        throw new HostError('invalid-input', 'the process is still running; stop it first');
      state.host.persistent.remove(entry);
      audit(state, 'release-process', { process: entry.short });
    },
  ],
  [
    `${PROCESS}#watch`,
    (state, args) => {
      const entry = find(state, args[0]);
      const raw = args[1];
      let suffix = entry.short;
      if (typeof raw === 'string') {
        const segments = raw.split('.');
        if (
          raw.length > 128 ||
          segments.length > 4 ||
          !segments.every((s) => SUFFIX_SEGMENT.test(s) && isTopicSegment(s))
        ) {
          throw new HostError(
            'invalid-input',
            `watch suffix ${JSON.stringify(raw)} must be 1–4 dot-separated segments of [a-z0-9_-]`,
          );
        }
        suffix = raw;
      }
      entry.watchSuffix = suffix;
      if (!entry.child.running && entry.child.exit !== null) {
        state.host.persistent.event(entry, 'exited', { exit: guestExit(entry.child.exit) });
      }
    },
  ],
  [
    `${PROCESS}#unwatch`,
    (state, args) => {
      find(state, args[0]).watchSuffix = null;
    },
  ],
  // process-handle
  [`${H}.readLogs`, (_state, _args, self) => readLogs(handle(self))],
  [
    `${H}.writeStdin`,
    async (state, args, self) =>
      state.host.services.io.run(() => writeStdin(handle(self), args[0] as Uint8Array)),
  ],
  [
    `${H}.closeStdin`,
    (_state, _args, self) => {
      closeStdin(handle(self));
    },
  ],
  [
    `${H}.signal`,
    (_state, args, self) => {
      const h = handle(self);
      if (!h.child.running) throw new HostError('closed', 'the process has exited');
      sendSignal(h, String(args[0]));
    },
  ],
  [`${H}.kill`, async (_state, _args, self) => killChild(handle(self))],
  [
    `${H}.wait`,
    async (state, args, self) =>
      guestExit(await waitExit(handle(self), optionalMs(args[0]), state.signal)),
  ],
  [
    `${H}.waitWithOutput`,
    async (state, args, self) => {
      const h = handle(self);
      const timeout = optionalMs(args[0]);
      const out = await collectOutput(
        h,
        timeout,
        state.signal,
        () => new HostError('wait-timeout', `the process was still running after ${timeout} ms`),
      );
      return { stdout: out.stdout, stderr: out.stderr, exit: guestExit(out.exit) };
    },
  ],
  [
    `${H}.osPid`,
    (_state, _args, self) => {
      const h = handle(self);
      if (!h.child.running || h.child.pid === null)
        throw new HostError('closed', 'the process has exited');
      return h.child.pid;
    },
  ],
  [
    `${H}.subscribeExit`,
    (_state, _args, self) =>
      new NewResource(POLLABLE_TYPE, new PollableResource(handle(self).exited)),
  ],
  [
    `${H}.subscribeLogs`,
    (_state, _args, self) =>
      new NewResource(POLLABLE_TYPE, new PollableResource(handle(self).logs)),
  ],
];
