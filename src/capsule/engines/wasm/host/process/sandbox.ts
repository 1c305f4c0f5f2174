import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, readlinkSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Logger } from '../../../../../core/logger.js';
import { findExecutable } from '../../../../../storage/files/find-executable.js';
import { ManagedChild } from './managed-child.js';
import { bwrapArgs, type SandboxPlan, type SystemMount } from './sandbox-plan.js';

const PROBE_TIMEOUT_MS = 10_000;
const TOP_LEVEL = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'];
/** Configuration the dynamic loader, name service, TLS and locale need; nothing else of /etc. */
const ETC_FILES = [
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'alternatives',
  'passwd',
  'group',
  'nsswitch.conf',
  'hosts',
  'host.conf',
  'resolv.conf',
  'gai.conf',
  'services',
  'protocols',
  'ssl',
  'ca-certificates',
  'ca-certificates.conf',
  'localtime',
  'timezone',
  'mime.types',
];

function findOnPath(name: string, path: string | undefined): string | null {
  return findExecutable(name, path ?? '/usr/bin:/bin');
}

/** The host's system layout as read-only mounts (merged-/usr symlinks kept as symlinks). */
function systemMounts(): SystemMount[] {
  const out: SystemMount[] = [{ kind: 'ro-bind', path: '/usr' }];
  for (const name of TOP_LEVEL) {
    const path = `/${name}`;
    let info: ReturnType<typeof lstatSync>;
    try {
      info = lstatSync(path);
    } catch {
      continue;
    }
    if (info.isSymbolicLink()) out.push({ kind: 'symlink', target: readlinkSync(path), path });
    else if (info.isDirectory()) out.push({ kind: 'ro-bind', path });
  }
  for (const f of ETC_FILES) out.push({ kind: 'ro-bind-try', path: `/etc/${f}` });
  return out;
}

export type SandboxState =
  | {
      readonly available: true;
      readonly bwrap: string;
      readonly prlimit: string | null;
      readonly system: readonly SystemMount[];
    }
  | { readonly available: false; readonly reason: string };

/**
 * The process sandbox: `bwrap` (bubblewrap) on Linux. Probed once at daemon
 * start by running a trivial command under the exact sandbox every child
 * gets; a host where that fails has no sandbox, and spawns are refused
 * rather than run unconfined.
 */
export class Sandbox {
  readonly state: SandboxState;

  private constructor(state: SandboxState) {
    this.state = state;
  }

  static unavailable(reason: string): Sandbox {
    return new Sandbox({ available: false, reason });
  }

  static async probe(logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<Sandbox> {
    if (process.platform !== 'linux') {
      return Sandbox.unavailable(
        `process sandboxing needs Linux with bubblewrap (this host is ${process.platform})`,
      );
    }
    const bwrap =
      findOnPath('bwrap', env.PATH) ?? (existsSync('/usr/bin/bwrap') ? '/usr/bin/bwrap' : null);
    if (bwrap === null)
      return Sandbox.unavailable(
        'bwrap (bubblewrap) is not installed; install the bubblewrap package',
      );
    const truePath = findOnPath('true', '/usr/bin:/bin');
    if (truePath === null)
      return Sandbox.unavailable('cannot find /usr/bin/true to probe the sandbox');
    const system = systemMounts();
    const args = bwrapArgs(
      {
        system,
        roots: [],
        tmp: null,
        network: false,
        cwd: '/',
        env: [],
        limits: { maxMemoryBytes: null, maxCpuSecs: null, maxPids: null, maxOpenFiles: null },
        prlimit: null,
        program: truePath,
        args: [],
      },
      3,
    );
    const failure = await new Promise<string | null>((resolve) => {
      // fd 3 must be a real pipe: bwrap fails (and its sandboxed child may
      // linger, holding our pipes open) when it cannot write the status.
      const child = spawn(bwrap, args, {
        stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
        env: { PATH: '/usr/bin:/bin' },
      });
      let stderr = '';
      child.stderr?.on('data', (c: Buffer) => {
        stderr += c.toString('utf8');
      });
      child.stdio[3]?.on('data', () => {});
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(`bwrap did not finish within ${PROBE_TIMEOUT_MS} ms`);
      }, PROBE_TIMEOUT_MS);
      child.once('error', (e) => {
        clearTimeout(timer);
        resolve(e.message);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        // Let the pipes deliver whatever bwrap wrote before it exited.
        setImmediate(() =>
          resolve(code === 0 ? null : `bwrap exited with ${code}: ${stderr.trim()}`),
        );
      });
    });
    if (failure !== null) {
      logger.warn(
        { reason: failure },
        'process sandbox unavailable; capsules cannot spawn processes',
      );
      return Sandbox.unavailable(`the bwrap sandbox does not work on this host: ${failure}`);
    }
    const prlimit = findOnPath('prlimit', '/usr/bin:/bin');
    logger.debug({ bwrap, prlimit }, 'process sandbox ready');
    return new Sandbox({ available: true, bwrap, prlimit, system });
  }

  /** System mounts every child gets (for plans). */
  get system(): readonly SystemMount[] {
    return this.state.available ? this.state.system : [];
  }

  get prlimit(): string | null {
    return this.state.available ? this.state.prlimit : null;
  }

  /** Starts a planned child; throws when the host has no sandbox. */
  start(plan: SandboxPlan, stdin: boolean): Promise<ManagedChild> {
    if (!this.state.available) throw new Error(this.state.reason);
    return ManagedChild.start(this.state.bwrap, bwrapArgs(plan, 3), stdin);
  }
}

/**
 * Finds the program a child runs: a path containing `/` is taken relative to
 * the working directory; a bare name is searched on the child's PATH.
 * Returns the host path, or null when there is no executable file there.
 */
export function resolveProgram(cmd: string, cwd: string, path: string): string | null {
  if (cmd.includes('/')) {
    const full = isAbsolute(cmd) ? cmd : join(cwd, cmd);
    try {
      accessSync(full, constants.X_OK);
      return statSync(full).isFile() ? full : null;
    } catch {
      return null;
    }
  }
  return findOnPath(cmd, path);
}
