import type { Check } from './checks.js';

export type PackageManager = 'apt-get' | 'dnf' | 'yum' | 'pacman' | 'zypper' | 'apk';

/** What `setup` found out about the host (gathered by `host-facts.ts`). */
export interface SandboxFacts {
  readonly platform: NodeJS.Platform;
  readonly bwrapPath: string | null;
  /** The result of running a trivial command under the exact sandbox every capsule child gets. */
  readonly probe: { readonly usable: true } | { readonly usable: false; readonly reason: string };
  readonly prlimitPath: string | null;
  /** Sysctl values, null when the host does not have (or does not let us read) the knob. */
  readonly sysctl: {
    readonly unprivilegedUsernsClone: number | null;
    readonly maxUserNamespaces: number | null;
    readonly apparmorRestrictUnprivilegedUserns: number | null;
  };
  readonly packageManager: PackageManager | null;
}

export interface SandboxDiagnosis {
  readonly usable: boolean;
  readonly checks: Check[];
}

/** The command that installs `pkg` with the host's package manager. Pure. */
export function installCommand(manager: PackageManager | null, pkg: string): string {
  switch (manager) {
    case 'apt-get':
      return `sudo apt-get install -y ${pkg}`;
    case 'dnf':
    case 'yum':
      return `sudo ${manager} install -y ${pkg}`;
    case 'pacman':
      return `sudo pacman -S --needed ${pkg}`;
    case 'zypper':
      return `sudo zypper install -y ${pkg}`;
    case 'apk':
      return `sudo apk add ${pkg}`;
    case null:
      return `install the ${pkg} package with your distribution's package manager`;
  }
}

/** Sets a sysctl now and on every boot. Pure. */
export function sysctlCommand(key: string, value: number): string {
  const file = `/etc/sysctl.d/90-astrid-${key.replace(/[._]/g, '-')}.conf`;
  return `echo '${key}=${value}' | sudo tee ${file} && sudo sysctl --system`;
}

/**
 * Turns host facts into `setup` checks with the fix for each failing one.
 * The sandbox is usable only when bwrap is installed and the probe ran; a
 * user-namespace knob that forbids what bwrap needs is a failure when the
 * probe failed and a warning when bwrap works anyway (e.g. setuid bwrap). Pure.
 */
export function diagnoseSandbox(f: SandboxFacts): SandboxDiagnosis {
  if (f.platform !== 'linux') {
    return {
      usable: false,
      checks: [
        {
          name: 'platform',
          status: 'fail',
          detail: `capsule process sandboxing needs Linux with bubblewrap; this host is ${f.platform}, so capsules cannot spawn processes`,
        },
      ],
    };
  }
  const checks: Check[] = [];
  const usable = f.bwrapPath !== null && f.probe.usable;
  if (f.bwrapPath === null) {
    checks.push({
      name: 'bwrap-installed',
      status: 'fail',
      detail: 'bwrap (bubblewrap) is not installed',
      fix: installCommand(f.packageManager, 'bubblewrap'),
    });
  } else {
    checks.push({
      name: 'bwrap-installed',
      status: 'ok',
      detail: `bwrap installed: ${f.bwrapPath}`,
    });
    checks.push(
      f.probe.usable
        ? { name: 'bwrap-usable', status: 'ok', detail: 'bwrap sandbox works (probe succeeded)' }
        : {
            name: 'bwrap-usable',
            status: 'fail',
            detail: `bwrap sandbox does not work: ${f.probe.reason}`,
          },
    );
  }
  checks.push(
    f.prlimitPath === null
      ? {
          name: 'prlimit',
          status: 'warn',
          detail:
            'prlimit not found in /usr/bin or /bin: memory, CPU and file limits are not applied to capsule processes',
          fix: installCommand(f.packageManager, 'util-linux'),
        }
      : { name: 'prlimit', status: 'ok', detail: `prlimit installed: ${f.prlimitPath}` },
  );
  const knob = f.bwrapPath !== null && !f.probe.usable ? 'fail' : 'warn';
  const { unprivilegedUsernsClone: clone, maxUserNamespaces: max } = f.sysctl;
  const apparmor = f.sysctl.apparmorRestrictUnprivilegedUserns;
  if (clone !== null) {
    checks.push(
      clone === 0
        ? {
            name: 'sysctl-unprivileged-userns-clone',
            status: knob,
            detail:
              'kernel.unprivileged_userns_clone = 0: unprivileged user namespaces are disabled',
            fix: sysctlCommand('kernel.unprivileged_userns_clone', 1),
          }
        : {
            name: 'sysctl-unprivileged-userns-clone',
            status: 'ok',
            detail: `kernel.unprivileged_userns_clone = ${clone}`,
          },
    );
  }
  if (max !== null) {
    checks.push(
      max === 0
        ? {
            name: 'sysctl-max-user-namespaces',
            status: knob,
            detail: 'user.max_user_namespaces = 0: no user namespaces may be created',
            fix: sysctlCommand('user.max_user_namespaces', 15000),
          }
        : {
            name: 'sysctl-max-user-namespaces',
            status: 'ok',
            detail: `user.max_user_namespaces = ${max}`,
          },
    );
  }
  if (apparmor !== null) {
    checks.push(
      apparmor !== 0
        ? {
            name: 'sysctl-apparmor-userns',
            status: knob,
            detail: `kernel.apparmor_restrict_unprivileged_userns = ${apparmor}: AppArmor restricts unprivileged user namespaces`,
            fix: sysctlCommand('kernel.apparmor_restrict_unprivileged_userns', 0),
          }
        : {
            name: 'sysctl-apparmor-userns',
            status: 'ok',
            detail: 'kernel.apparmor_restrict_unprivileged_userns = 0',
          },
    );
  }
  return { usable, checks };
}
