import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SocketKernelClient } from '../../src/kernel/clients/socket-kernel-client.js';
import { type DaemonProcess, newHome, startDaemon } from '../helpers/daemon-process.js';
import { runAstrid } from '../helpers/run-cli.js';

let d: DaemonProcess;
let admin: SocketKernelClient;
let env: NodeJS.ProcessEnv;

const astrid = (args: string[], stdin?: string) => runAstrid(args, env, stdin);
const json = (text: string) => JSON.parse(text);

async function agentRow(principal: string) {
  const list = await admin.admin('AgentList');
  return (list.data as { principal: string }[]).find((r) => r.principal === principal);
}

beforeAll(async () => {
  d = await startDaemon({ home: await newHome('file') });
  env = { ASTRID_HOME: d.home };
  admin = await d.connect('default');
}, 60_000);

afterAll(async () => {
  await admin?.close();
  await d?.stop();
});

describe('astrid agent', { timeout: 60_000 }, () => {
  it('creates agents (grants, groups, quotas) and refuses bad flags before sending anything', async () => {
    const [bob, carol, dotted, longTimeout] = await Promise.all([
      astrid(['agent', 'create', 'bob', '--egress', 'api-example,cdn', '--process-allow', 'git']),
      astrid([
        'agent',
        'create',
        'carol',
        '--group',
        'agent',
        '--memory',
        '256MiB',
        '--timeout',
        '1h',
      ]),
      astrid(['agent', 'create', 'dave', '--egress', 'api.example.com']),
      astrid(['agent', 'create', 'erin', '--timeout', '2d']),
    ]);
    expect(bob).toMatchObject({ code: 0, stdout: "✓ Created agent 'bob'\n", stderr: '' });
    expect(carol).toMatchObject({
      code: 0,
      stdout: "✓ Created agent 'carol'\n✓ Quotas set (2 fields)\n",
    });
    expect(dotted.code).toBe(1);
    expect(dotted.stderr).toMatch(
      /^✗ error: --egress "api.example.com" does not make a valid capability: .*invalid character "\."/,
    );
    expect(longTimeout.code).toBe(1);
    expect(longTimeout.stderr).toContain(
      '--timeout: must be between 1s and 1d (86400 s); 2d is 172800 s',
    );
    expect(await agentRow('dave')).toBeUndefined();
    expect(await agentRow('erin')).toBeUndefined();
    expect(await agentRow('bob')).toMatchObject({
      groups: ['agent'],
      grants: ['network:egress:api-example', 'network:egress:cdn', 'process:spawn:git'],
    });
    const quotas = await admin.admin('QuotaGet', { principal: 'carol' });
    expect(quotas.data).toMatchObject({ max_memory_bytes: 268_435_456, max_timeout_secs: 3600 });

    // Joining a group that holds '*' asks first; -y skips the question.
    const declined = await astrid(['agent', 'create', 'root2', '--group', 'admin'], 'n\n');
    expect(declined.code).toBe(1);
    expect(declined.stderr).toContain(
      "Agent 'root2' will be in 'admin', which holds '*' (every capability). Create it [y/N]? aborted.",
    );
    expect(await agentRow('root2')).toBeUndefined();
  });

  it('lists (sorted, filtered, structured) and shows agents', async () => {
    const [pretty, asJson, filtered, show, showJson, missing] = await Promise.all([
      astrid(['agent', 'list']),
      astrid(['agent', 'list', '--format', 'json']),
      astrid(['agent', 'list', '--group', 'admin', '--format', 'yaml']),
      astrid(['agent', 'show', 'bob']),
      astrid(['agent', 'show', 'carol', '--format', 'json']),
      astrid(['agent', 'show', 'nobody']),
    ]);
    expect(pretty.code).toBe(0);
    expect(pretty.stdout).toBe(
      'AGENT    STATE    GROUPS\nbob      enabled  agent\ncarol    enabled  agent\ndefault  enabled  admin\n',
    );
    expect(json(asJson.stdout).map((r: { principal: string }) => r.principal)).toEqual([
      'bob',
      'carol',
      'default',
    ]);
    expect(filtered.stdout).toBe(
      '- principal: default\n  enabled: true\n  groups:\n    - admin\n  grants: []\n  revokes: []\n',
    );
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("Agent 'bob'\n  state    enabled\n  groups   agent\n");
    expect(show.stdout).toContain(
      '  grants   network:egress:api-example, network:egress:cdn, process:spawn:git\n',
    );
    expect(show.stdout).toMatch(
      /Quotas\n {2}memory per instance +64 MiB\n {2}call timeout +5m \(300 s\)\n/,
    );
    expect(json(showJson.stdout)).toEqual({
      principal: 'carol',
      enabled: true,
      groups: ['agent'],
      grants: [],
      revokes: [],
      quotas: {
        max_memory_bytes: 268_435_456,
        max_timeout_secs: 3600,
        max_ipc_throughput_bytes: 10_485_760,
        max_background_processes: 8,
        max_storage_bytes: 1_073_741_824,
        max_cpu_fuel_per_sec: 2_000_000_000,
      },
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("✗ error: agent 'nobody' not found");
  });

  it('switches the active agent; a restricted agent is refused admin verbs with a hint', async () => {
    const context = join(d.home, 'run', 'cli-context.toml');
    try {
      const unknown = await astrid(['agent', 'switch', 'nobody']);
      expect(unknown).toMatchObject({
        code: 0,
        stdout: "✓ Switched to agent 'nobody'\n",
        stderr: "! agent 'nobody' is not known to the daemon\n",
      });
      expect((await astrid(['agent', 'current'])).stdout).toBe('nobody\n');

      const toBob = await astrid(['agent', 'switch', 'bob']);
      expect(toBob).toMatchObject({ code: 0, stderr: '' });
      expect((await readFile(context, 'utf8')).trim()).toBe('active_agent = "bob"');
      const [denied, ownList] = await Promise.all([
        astrid(['agent', 'create', 'zed']),
        astrid(['agent', 'list', '--format', 'json']),
      ]);
      expect(denied.code).toBe(1);
      expect(denied.stderr).toBe(
        '✗ error: kernel rejected request: permission denied for principal bob: missing capability agent:create\n' +
          '  hint: the active agent lacks this capability: see `astrid caps show`, or switch agents with `astrid agent switch`\n',
      );
      expect(json(ownList.stdout).map((r: { principal: string }) => r.principal)).toEqual(['bob']);

      const [back, invalid] = await Promise.all([
        astrid(['agent', 'switch', 'default']),
        astrid(['agent', 'switch', 'bad name']),
      ]);
      expect(back).toMatchObject({
        code: 0,
        stdout: "✓ Switched to agent 'default'\n",
        stderr: '',
      });
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toMatch(/invalid principal id "bad name"/);
      expect((await readFile(context, 'utf8')).trim()).toBe('active_agent = "default"');
    } finally {
      await writeFile(context, 'active_agent = "default"\n');
    }
  });

  it('modifies groups, disables and enables', async () => {
    const nothing = await astrid(['agent', 'modify', 'carol']);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toBe(
      '✗ error: nothing to change: give --add-group GROUP and/or --remove-group GROUP\n',
    );
    const added = await astrid(['agent', 'modify', 'carol', '--add-group', 'restricted']);
    expect(added).toMatchObject({ code: 0, stdout: "✓ Agent 'carol' groups: agent, restricted\n" });
    const again = await astrid(['agent', 'modify', 'carol', '--add-group', 'restricted']);
    expect(again.stdout).toBe("i agent 'carol' is already in the requested groups (no change)\n");
    const swapped = await astrid([
      'agent',
      'modify',
      'carol',
      '--remove-group',
      'restricted',
      '--add-group',
      'ghost',
    ]);
    expect(swapped.stdout).toBe("✓ Agent 'carol' groups: agent, ghost\n");
    expect(swapped.stderr).toBe(
      "! group 'ghost' does not exist; it grants nothing until it is created\n",
    );

    expect((await astrid(['agent', 'disable', 'carol'])).stdout).toBe("✓ Disabled agent 'carol'\n");
    expect(await agentRow('carol')).toMatchObject({ enabled: false });
    const twice = await astrid(['agent', 'disable', 'carol']);
    expect(twice.stdout).toBe("i agent 'carol' is already disabled\n");
    expect((await astrid(['agent', 'enable', 'carol'])).stdout).toBe("✓ Enabled agent 'carol'\n");
    expect(await agentRow('carol')).toMatchObject({ enabled: true });
  });

  it('deletes only after a yes', async () => {
    await admin.admin('AgentCreate', { name: 'temp', groups: [], grants: [] });
    const no = await astrid(['agent', 'delete', 'temp'], 'n\n');
    expect(no.code).toBe(1);
    expect(no.stderr).toBe("Delete agent 'temp' (home directory is NOT removed) [y/N]? aborted.\n");
    expect(no.stdout).toBe('');
    expect(await agentRow('temp')).toBeDefined();
    const yes = await astrid(['agent', 'delete', 'temp'], 'y\n');
    expect(yes).toMatchObject({ code: 0, stdout: "✓ Deleted agent 'temp'\n" });
    expect(await agentRow('temp')).toBeUndefined();
    expect(existsSync(join(d.home, 'home', 'temp'))).toBe(true);
  });
});

describe('astrid group', { timeout: 60_000 }, () => {
  it('creates, shows, lists, modifies (clearing the description) and deletes groups', async () => {
    const [created, empty, star] = await Promise.all([
      astrid([
        'group',
        'create',
        'ops',
        '--caps',
        'agent:list,system:status,agent:create,agent:delete',
        '--description',
        'Ops team',
      ]),
      astrid(['group', 'create', 'empty', '--caps', '']),
      astrid(['group', 'create', 'root', '--caps', '*']),
    ]);
    expect(created).toMatchObject({ code: 0, stdout: "✓ Created group 'ops'\n", stderr: '' });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe(
      "✗ error: group 'empty' needs at least one capability: --caps a:b,c:d\n",
    );
    expect(star.code).toBe(2);
    expect(star.stderr).toContain("refusing to create group 'root' with '*'");

    const [list, show] = await Promise.all([
      astrid(['group', 'list']),
      astrid(['group', 'show', 'ops']),
    ]);
    expect(list.stdout).toBe(
      'GROUP       TYPE      CAPABILITIES\n' +
        'admin       built-in  *\n' +
        'agent       built-in  self:*, self:quota:get, self:agent:list, ...(4 total)\n' +
        'ops         custom    agent:list, system:status, agent:create, ...(4 total)\n' +
        'restricted  built-in  (none)\n',
    );
    expect(show.stdout).toBe(
      "Group 'ops'\n  type          custom\n  description   Ops team\n  unsafe admin  no\n" +
        'Capabilities\n  - agent:list\n  - system:status\n  - agent:create\n  - agent:delete\n',
    );

    const modified = await astrid([
      'group',
      'modify',
      'ops',
      '--remove-caps',
      'agent:delete,agent:nope',
      '--add-caps',
      'caps:grant,agent:list',
      '--description',
      '',
    ]);
    expect(modified.code).toBe(0);
    expect(modified.stdout).toBe(
      "✓ Updated group 'ops': agent:list, system:status, agent:create, ...(4 total)\ni description cleared\n",
    );
    expect(modified.stderr).toBe("! 'agent:nope' is not in group 'ops'; nothing to remove\n");
    const [after, nothing, builtin] = await Promise.all([
      astrid(['group', 'show', 'ops', '--format', 'json']),
      astrid(['group', 'modify', 'ops']),
      astrid(['group', 'modify', 'admin', '--add-caps', 'x']),
    ]);
    expect(json(after.stdout)).toEqual({
      name: 'ops',
      type: 'custom',
      capabilities: ['agent:list', 'system:status', 'agent:create', 'caps:grant'],
      description: null,
      unsafe_admin: false,
    });
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain(
      'nothing to change: give --add-caps, --remove-caps or --description',
    );
    expect(builtin.code).toBe(1);
    expect(builtin.stderr).toContain('"admin" is a built-in group');

    expect(await astrid(['group', 'delete', 'ops'])).toMatchObject({
      code: 0,
      stdout: "✓ Deleted group 'ops'\n",
    });
    const showGone = await astrid(['group', 'show', 'ops']);
    expect(showGone.code).toBe(1);
    expect(showGone.stderr).toContain("group 'ops' not found");
  });
});

describe('astrid caps', { timeout: 60_000 }, () => {
  it('grants, revokes, shows and checks capabilities', async () => {
    const [star, granted, refused] = await Promise.all([
      astrid(['caps', 'grant', 'bob', '*']),
      astrid(['caps', 'grant', 'bob', 'system:status', 'quota:get']),
      astrid(['caps', 'grant', 'ghost', 'system:status']),
    ]);
    expect(star.code).toBe(2);
    expect(star.stderr).toBe(
      "✗ error: refusing to grant '*' (every capability) to 'bob' without --unsafe-admin\n",
    );
    expect(granted).toMatchObject({
      code: 0,
      stdout: "✓ Granted system:status, quota:get to 'bob'\n",
      stderr: '',
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      '✗ error: kernel rejected request: principal ghost does not exist (no stored profile); create it with agent.create\n',
    );
    const revoked = await astrid(['caps', 'revoke', 'bob', 'quota:*']);
    expect(revoked).toMatchObject({ code: 0, stdout: "✓ Revoked quota:* from 'bob'\n" });

    const [show, showJson, viaGrant, viaGroup, viaRevoke, none] = await Promise.all([
      astrid(['caps', 'show', 'bob']),
      astrid(['caps', 'show', 'bob', '--format', 'json']),
      astrid(['caps', 'check', 'bob', 'system:status']),
      astrid(['caps', 'check', 'bob', 'self:capsule:list', '--format', 'json']),
      astrid(['caps', 'check', 'bob', 'quota:get', '--format', 'json']),
      astrid(['caps', 'check', 'bob', 'agent:create']),
    ]);
    expect(show.stdout).toMatch(/^CAPABILITY +SOURCE +STATUS\nself:\* +group:agent +inherited\n/);
    expect(show.stdout).toMatch(/\nquota:get +grant +shadowed by revoke\n/);
    expect(show.stdout).toMatch(/\nquota:\* +revoke +revoked\n$/);
    const rows = json(showJson.stdout);
    expect(rows.principal).toBe('bob');
    expect(rows.capabilities).toContainEqual({
      capability: 'system:status',
      source: 'grant',
      status: 'active',
    });
    expect(viaGrant).toMatchObject({
      code: 0,
      stdout: 'allowed: granted directly ("system:status")\n',
    });
    expect(viaGroup.code).toBe(0);
    expect(json(viaGroup.stdout)).toEqual({
      principal: 'bob',
      capability: 'self:capsule:list',
      allowed: true,
      reason: `inherited from group 'agent' ("self:*")`,
    });
    expect(viaRevoke.code).toBe(1);
    expect(json(viaRevoke.stdout)).toEqual({
      principal: 'bob',
      capability: 'quota:get',
      allowed: false,
      reason: 'revoked by "quota:*"',
    });
    expect(none).toMatchObject({
      code: 1,
      stdout: 'denied: no grant or group capability covers it\n',
      stderr: '',
    });
  });
});

describe('astrid quota', { timeout: 60_000 }, () => {
  it('sets quotas from human units and shows them with usage', async () => {
    const set = await astrid([
      'quota',
      'set',
      '-a',
      'bob',
      '--ipc-rate',
      '1MB/s',
      '--processes',
      '4',
      '--memory',
      '256MiB',
      '--timeout',
      '1h',
    ]);
    expect(set.code).toBe(0);
    expect(set.stdout).toBe(
      "✓ Updated quotas for 'bob'.\n" +
        '  memory per instance: 64 MiB → 256 MiB\n' +
        '  call timeout: 5m (300 s) → 1h (3600 s)\n' +
        '  IPC throughput: 10 MiB/s → 1 MB/s\n' +
        '  background processes: 8 → 4\n',
    );
    const [asJson, pretty, none, tooMany] = await Promise.all([
      astrid(['quota', 'show', '-a', 'bob', '--format', 'json']),
      astrid(['quota', 'show', '--agent', 'bob']),
      astrid(['quota', 'set', '-a', 'bob']),
      astrid(['quota', 'set', '-a', 'bob', '--processes', '300']),
    ]);
    expect(json(asJson.stdout)).toEqual({
      principal: 'bob',
      max_memory_bytes: 268_435_456,
      max_timeout_secs: 3600,
      max_ipc_throughput_bytes: 1_000_000,
      max_background_processes: 4,
      max_storage_bytes: 1_073_741_824,
      max_cpu_fuel_per_sec: 2_000_000_000,
      usage: {
        cpu_fuel_consumed_total: 0,
        cpu_fuel_per_sec_limit: 2_000_000_000,
        exempt: false,
        memory_bytes_limit_per_instance: 268_435_456,
        memory_bytes_current_total: null,
        memory_bytes_peak_total: null,
      },
    });
    expect(pretty.stdout).toMatch(/^Quotas for 'bob'\n {2}memory per instance +256 MiB\n/);
    expect(pretty.stdout).toMatch(/\n {2}IPC throughput +1 MB\/s\n/);
    expect(pretty.stdout).toMatch(/\nUsage\n {2}CPU fuel consumed +0\n/);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('nothing to set: give at least one of --memory');
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toBe('✗ error: --processes: must be between 0 and 256 (got 300)\n');
  });
});

describe('with the daemon down', { timeout: 60_000 }, () => {
  it('admin verbs say how to start it; client-side refusals and switch still work', async () => {
    const home = await newHome();
    const downEnv = { ASTRID_HOME: home };
    const [list, star, sw] = await Promise.all([
      runAstrid(['agent', 'list'], downEnv),
      runAstrid(['caps', 'grant', 'x', '*'], downEnv),
      runAstrid(['agent', 'switch', 'bob'], downEnv),
    ]);
    expect(list).toMatchObject({
      code: 1,
      stdout: '',
      stderr: '✗ error: Failed to connect to Astrid daemon. Run `astrid start` to launch it.\n',
    });
    expect(star.code).toBe(2);
    expect(sw.code).toBe(0);
    expect(sw.stderr).toBe(
      "! agent 'bob' is not known to the daemon (it is not running, so this could not be checked)\n",
    );
    expect((await readFile(join(home, 'run', 'cli-context.toml'), 'utf8')).trim()).toBe(
      'active_agent = "bob"',
    );
  });
});
