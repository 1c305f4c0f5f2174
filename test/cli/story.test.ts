import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DaemonProcess, newHome, startDaemon } from '../helpers/daemon-process.js';
import { runAstrid } from '../helpers/run-cli.js';

/**
 * The operator story of issue 11, told through the real `astrid` binary
 * against a real daemon: a custom group, an invite for it redeemed with a
 * generated keypair, a capability granted and revoked, a quota set — each
 * step visible in `audit list`, and the chain verifying at the end.
 */
let d: DaemonProcess;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  const home = await newHome('file');
  d = await startDaemon({ home });
  env = { ASTRID_HOME: home };
}, 60_000);

afterAll(async () => {
  await d?.stop();
});

const astrid = (...args: string[]) => runAstrid(args, env);

describe('the operator story', () => {
  it('group → invite → keypair → redeem → grant/revoke → quota → audit', async () => {
    const group = await astrid(
      'group',
      'create',
      'reviewers',
      '--caps',
      'self:*,self:agent:list',
      '--description',
      'code reviewers',
    );
    expect(group.stderr).toBe('');
    expect(group.code).toBe(0);

    const key = await astrid('keypair', 'generate', '--name', 'rev-key');
    expect(key.code).toBe(0);

    const invite = await astrid('invite', 'issue', '--group', 'reviewers', '--raw');
    expect(invite.code).toBe(0);
    const token = invite.stdout.trim();
    expect(token.length).toBeGreaterThan(16);

    const redeem = await astrid('invite', 'redeem', token, '--keypair', 'rev-key');
    expect(redeem.code).toBe(0);
    const principal = /redeemed principal: (\S+)/.exec(redeem.stdout)?.[1];
    expect(principal).toBeDefined();
    const who = principal as string;

    const shown = await astrid('agent', 'show', who, '--format', 'json');
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual(expect.objectContaining({ groups: ['reviewers'] }));

    expect((await astrid('caps', 'grant', who, 'system:status')).code).toBe(0);
    expect((await astrid('caps', 'check', who, 'system:status')).code).toBe(0);
    expect((await astrid('caps', 'revoke', who, 'system:status')).code).toBe(0);
    expect((await astrid('caps', 'check', who, 'system:status')).code).toBe(1);

    const quota = await astrid(
      'quota',
      'set',
      '-a',
      who,
      '--ipc-rate',
      '1MB/s',
      '--processes',
      '4',
    );
    expect(quota.code).toBe(0);
    const quotas = JSON.parse(
      (await astrid('quota', 'show', '-a', who, '--format', 'json')).stdout,
    );
    expect(quotas).toEqual(
      expect.objectContaining({ max_ipc_throughput_bytes: 1_000_000, max_background_processes: 4 }),
    );

    const audit = await astrid('audit', 'list', '--limit', '200', '--format', 'json');
    expect(audit.code).toBe(0);
    const rows = JSON.parse(audit.stdout) as { entries?: unknown[] } | unknown[];
    const entries = (Array.isArray(rows) ? rows : (rows.entries ?? [])) as {
      method: string;
      outcome: string;
    }[];
    const methods = entries.filter((e) => e.outcome === 'success').map((e) => e.method);
    for (const step of [
      'admin.group.create',
      'admin.invite.issue',
      'admin.invite.redeem',
      'admin.caps.grant',
      'admin.caps.revoke',
      'admin.quota.set',
    ]) {
      expect(methods, step).toContain(step);
    }

    const verify = await astrid('audit', 'verify');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/audit chain verified/);
  }, 120_000);
});
