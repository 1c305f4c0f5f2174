import { existsSync, readFileSync } from 'node:fs';
import { Sandbox } from '../../../capsule/engines/wasm/host/process/sandbox.js';
import { silentLogger } from '../../../core/logger.js';
import { findExecutable } from '../../../storage/files/find-executable.js';
import type { PackageManager, SandboxFacts } from './sandbox-diagnosis.js';

const PACKAGE_MANAGERS: readonly PackageManager[] = [
  'apt-get',
  'dnf',
  'yum',
  'pacman',
  'zypper',
  'apk',
];

function sysctl(path: string): number | null {
  try {
    const value = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isNaN(value) ? null : value;
  } catch {
    return null;
  }
}

/** Runs the daemon's own sandbox probe: usable exactly when capsule children could be spawned. */
export async function probeSandbox(
  env: NodeJS.ProcessEnv,
): Promise<{ usable: true } | { usable: false; reason: string }> {
  const sandbox = await Sandbox.probe(silentLogger, env);
  return sandbox.state.available
    ? { usable: true }
    : { usable: false, reason: sandbox.state.reason };
}

/**
 * Looks at the host the way the daemon does: bwrap on PATH (else
 * /usr/bin/bwrap), prlimit in /usr/bin or /bin, the sandbox probe itself, and
 * the user-namespace sysctls.
 */
export async function gatherSandboxFacts(env: NodeJS.ProcessEnv): Promise<SandboxFacts> {
  const bwrapPath =
    findExecutable('bwrap', env.PATH) ?? (existsSync('/usr/bin/bwrap') ? '/usr/bin/bwrap' : null);
  return {
    platform: process.platform,
    bwrapPath,
    probe: await probeSandbox(env),
    prlimitPath: findExecutable('prlimit', '/usr/bin:/bin'),
    sysctl: {
      unprivilegedUsernsClone: sysctl('/proc/sys/kernel/unprivileged_userns_clone'),
      maxUserNamespaces: sysctl('/proc/sys/user/max_user_namespaces'),
      apparmorRestrictUnprivilegedUserns: sysctl(
        '/proc/sys/kernel/apparmor_restrict_unprivileged_userns',
      ),
    },
    packageManager:
      PACKAGE_MANAGERS.find((m) => findExecutable(m, env.PATH ?? '/usr/bin:/bin') !== null) ?? null,
  };
}
