import { describe, expect, it } from 'vitest';
import { anyFailed, checkLines } from './checks.js';
import {
  diagnoseSandbox,
  installCommand,
  type SandboxFacts,
  sysctlCommand,
} from './sandbox-diagnosis.js';

const healthy: SandboxFacts = {
  platform: 'linux',
  bwrapPath: '/usr/bin/bwrap',
  probe: { usable: true },
  prlimitPath: '/usr/bin/prlimit',
  sysctl: {
    unprivilegedUsernsClone: null,
    maxUserNamespaces: 96365,
    apparmorRestrictUnprivilegedUserns: null,
  },
  packageManager: 'apt-get',
};

describe('diagnoseSandbox', () => {
  it('is usable with every check OK on a healthy host, skipping unreadable sysctls', () => {
    const d = diagnoseSandbox(healthy);
    expect(d.usable).toBe(true);
    expect(d.checks.map((c) => [c.name, c.status])).toEqual([
      ['bwrap-installed', 'ok'],
      ['bwrap-usable', 'ok'],
      ['prlimit', 'ok'],
      ['sysctl-max-user-namespaces', 'ok'],
    ]);
    expect(anyFailed(d.checks)).toBe(false);
  });

  it('fails without bwrap and recommends installing it with the host package manager', () => {
    const d = diagnoseSandbox({
      ...healthy,
      bwrapPath: null,
      probe: { usable: false, reason: 'no bwrap' },
      packageManager: 'dnf',
    });
    expect(d.usable).toBe(false);
    expect(d.checks[0]).toEqual({
      name: 'bwrap-installed',
      status: 'fail',
      detail: 'bwrap (bubblewrap) is not installed',
      fix: 'sudo dnf install -y bubblewrap',
    });
    expect(d.checks.some((c) => c.name === 'bwrap-usable')).toBe(false);
  });

  it('blames the user-namespace knobs when the probe fails, with a fix for each', () => {
    const d = diagnoseSandbox({
      ...healthy,
      probe: {
        usable: false,
        reason: 'bwrap exited with 1: setting up uid map: Permission denied',
      },
      sysctl: {
        unprivilegedUsernsClone: 0,
        maxUserNamespaces: 0,
        apparmorRestrictUnprivilegedUserns: 1,
      },
    });
    expect(d.usable).toBe(false);
    const byName = new Map(d.checks.map((c) => [c.name, c]));
    expect(byName.get('bwrap-usable')).toMatchObject({ status: 'fail' });
    expect(byName.get('bwrap-usable')?.detail).toContain('Permission denied');
    expect(byName.get('sysctl-unprivileged-userns-clone')).toMatchObject({
      status: 'fail',
      fix: sysctlCommand('kernel.unprivileged_userns_clone', 1),
    });
    expect(byName.get('sysctl-max-user-namespaces')).toMatchObject({
      status: 'fail',
      fix: sysctlCommand('user.max_user_namespaces', 15000),
    });
    expect(byName.get('sysctl-apparmor-userns')).toMatchObject({
      status: 'fail',
      fix: sysctlCommand('kernel.apparmor_restrict_unprivileged_userns', 0),
    });
  });

  it('only warns about a restrictive knob when bwrap works anyway', () => {
    const d = diagnoseSandbox({
      ...healthy,
      sysctl: { ...healthy.sysctl, unprivilegedUsernsClone: 0 },
    });
    expect(d.usable).toBe(true);
    expect(d.checks.find((c) => c.name === 'sysctl-unprivileged-userns-clone')?.status).toBe(
      'warn',
    );
  });

  it('warns when prlimit is missing, and fails outright off Linux', () => {
    const noPrlimit = diagnoseSandbox({ ...healthy, prlimitPath: null, packageManager: null });
    expect(noPrlimit.usable).toBe(true);
    expect(noPrlimit.checks.find((c) => c.name === 'prlimit')).toMatchObject({
      status: 'warn',
      fix: "install the util-linux package with your distribution's package manager",
    });
    const mac = diagnoseSandbox({ ...healthy, platform: 'darwin' });
    expect(mac.usable).toBe(false);
    expect(mac.checks).toHaveLength(1);
    expect(mac.checks[0]?.detail).toContain('this host is darwin');
  });
});

describe('installCommand / sysctlCommand / checkLines', () => {
  it('spells the commands per package manager and persists sysctls', () => {
    expect(installCommand('apt-get', 'bubblewrap')).toBe('sudo apt-get install -y bubblewrap');
    expect(installCommand('pacman', 'bubblewrap')).toBe('sudo pacman -S --needed bubblewrap');
    expect(installCommand('apk', 'bubblewrap')).toBe('sudo apk add bubblewrap');
    expect(sysctlCommand('user.max_user_namespaces', 15000)).toBe(
      "echo 'user.max_user_namespaces=15000' | sudo tee /etc/sysctl.d/90-astrid-user-max-user-namespaces.conf && sudo sysctl --system",
    );
  });

  it('tags each check and indents its fix', () => {
    expect(checkLines({ name: 'x', status: 'warn', detail: 'd', fix: 'do it' })).toEqual([
      '[WARN] d',
      '       fix: do it',
    ]);
    expect(checkLines({ name: 'x', status: 'fail', detail: 'bad' })).toEqual(['[FAIL] bad']);
  });
});
