import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installFromDirectory } from '../../src/capsule/install/install-capsule.js';
import type { CapsuleId } from '../../src/core/ids/capsule-id.js';
import type { PrincipalId } from '../../src/core/ids/principal-id.js';
import { makeProfile } from '../../src/core/profiles/profile.js';
import { ipcEvent } from '../../src/events/astrid-event.js';
import { ipcMessage } from '../../src/events/ipc-message.js';
import { guestJsonValue, rawJson } from '../../src/events/ipc-payload.js';
import { AstridHome } from '../../src/storage/home/astrid-home.js';
import { chainCapsuleSource, installChainCapsules } from '../helpers/chain-capsules.js';
import { componentFromJs } from '../helpers/components.js';
import {
  CHAIN_JS,
  CHAIN_WORLD,
  HOSTS_JS,
  HOSTS_WORLD,
  LOOP_JS,
  LOOP_WORLD,
} from '../helpers/guests.js';
import { bootKernel, type KernelHarness } from '../helpers/kernel-harness.js';
import { fileTempDir, tempDir } from '../helpers/temp-dir.js';

// Building the JS fixture components takes a while on a fresh checkout (they are cached afterwards).
beforeAll(async () => {
  await componentFromJs(LOOP_JS, LOOP_WORLD, 'loop');
  await componentFromJs(CHAIN_JS, CHAIN_WORLD, 'chain');
  await componentFromJs(HOSTS_JS, HOSTS_WORLD, 'hosts');
}, 240_000);

const running: KernelHarness[] = [];
afterEach(async () => {
  for (const h of running.splice(0)) await h.close();
});

async function freshHome(): Promise<AstridHome> {
  const home = new AstridHome(join(await fileTempDir('astrid-cr-'), 'h'));
  await home.ensure();
  return home;
}

async function boot(home: AstridHome, options: Parameters<typeof bootKernel>[0] = {}) {
  const h = await bootKernel({ home, ...options });
  running.push(h);
  return h;
}

async function until<T>(fn: () => T | undefined | false, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function installRaw(
  home: AstridHome,
  name: string,
  toml: string,
  component: Uint8Array,
  files: Record<string, string> = {},
) {
  const dir = await tempDir('astrid-raw-');
  await writeFile(
    join(dir, 'Capsule.toml'),
    `[package]\nname = "${name}"\nversion = "1.0.0"\n\n[[component]]\nfile = "c.wasm"\n${toml}\n`,
  );
  await writeFile(join(dir, 'c.wasm'), component);
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(join(dir, rel, '..'), { recursive: true });
    await writeFile(join(dir, rel), content);
  }
  return installFromDirectory(dir, home);
}

describe('capsule runtime in the kernel', () => {
  it('a crashed run loop is restarted with backoff, then given up on', async () => {
    const home = await freshHome();
    await installRaw(
      home,
      'crashy',
      '[env.MODE]\ntype = "text"\ndefault = "return"\n',
      await componentFromJs(LOOP_JS, LOOP_WORLD, 'loop'),
    );
    const h = await boot(home, {
      capsules: {
        healthIntervalMs: 50,
        restartPolicy: { maxAttempts: 2, baseMs: 50, capMs: 60_000 },
      },
    });
    const first = h.kernel.capsules.registry.get('crashy' as never);
    expect(first?.isRunLoop).toBe(true);
    const restarted = await until(() => {
      const now = h.kernel.capsules.registry.get('crashy' as never);
      return now !== undefined && now !== first ? now : undefined;
    });
    expect(restarted.isReady).toBe(true);
    await until(() =>
      h.logs.lines.some((l) => l.message === 'giving up on restarting the capsule'),
    );
    const failed = h.logs.lines
      .filter((l) => l.message === 'capsule health check failed')
      .map((l) => l.fields.reason);
    expect(failed[0]).toBe('the run loop returned');
    expect(h.logs.lines.filter((l) => l.message === 'restarting capsule')).toHaveLength(2);
    // Given up on, it is reported as failed (it used to read `ready`).
    await until(() =>
      h.kernel.capsules.registry.get('crashy' as never)?.state.kind === 'failed' ? true : undefined,
    );
    expect(h.kernel.capsules.registry.get('crashy' as never)?.state).toEqual({
      kind: 'failed',
      reason: 'the run loop returned',
    });
  }, 60_000);

  it('boots with a clear failure for unsatisfied imports, undeclared files and MCP servers; loads the rest', async () => {
    const home = await freshHome();
    await installChainCapsules(home, [
      {
        name: 'needs-iface',
        handlers: { 'x.in': ['report', 1] },
        extraToml: '[imports.acme]\nweather = "^2.0"\n',
      },
      {
        name: 'ok-capsule',
        handlers: { 'x.in': ['report', 1] },
        extraToml: '[[context_file]]\nname = "guide"\nfile = "docs/guide.md"\n',
      },
    ]);
    const src = await chainCapsuleSource({
      name: 'mcp-capsule',
      extraToml: '[[mcp_server]]\nid = "srv"\ntype = "stdio"\ncommand = "npx"\n',
    });
    await installFromDirectory(src, home);
    writeFileSync(
      join(home.defaultPrincipal.capsuleDir('ok-capsule' as never), 'docs', 'guide.md'),
      '# Guide\nUse it well.',
    );
    const h = await boot(home);
    const rows = (await h.client().kernel('ListCapsules', { verbose: true })).data as {
      name: string;
      state: string;
      reason?: string;
    }[];
    expect(rows.find((r) => r.name === 'ok-capsule')?.state).toBe('ready');
    expect(rows.find((r) => r.name === 'needs-iface')).toMatchObject({
      state: 'failed',
      reason: "capsule 'needs-iface' imports acme:weather ^2.0, which no installed capsule exports",
    });
    expect(rows.find((r) => r.name === 'mcp-capsule')?.reason).toMatch(
      /declares stdio MCP servers \(srv\); this build does not run MCP server capsules/,
    );
    const ctx = await h.client().kernel('GetCapsuleContext', { capsule: 'ok-capsule' });
    expect(ctx.data).toMatchObject({
      context_files: [{ name: 'guide', content: '# Guide\nUse it well.' }],
    });
  });

  it('a declared context file that is missing fails the load and says which', async () => {
    const home = await freshHome();
    await installChainCapsules(home, [
      { name: 'no-doc', extraToml: '[[context_file]]\nname = "guide"\nfile = "docs/missing.md"\n' },
    ]);
    const h = await boot(home);
    const rows = (await h.client().kernel('ListCapsules', { verbose: true })).data as {
      name: string;
      reason?: string;
    }[];
    expect(rows[0]?.reason).toMatch(
      /\[\[context_file\]\] "guide": file "docs\/missing.md" does not exist/,
    );
  });

  it('publishes capsules_loaded after boot and onboarding fields for unset env', async () => {
    const home = await freshHome();
    await installChainCapsules(home, [
      {
        name: 'needs-config',
        extraToml: '[env.REGION]\ntype = "text"\nrequest = "Which region?"\n',
      },
    ]);
    const { EventBus } = await import('../../src/events/event-bus.js');
    const seen: string[] = [];
    const original = EventBus.prototype.publish;
    EventBus.prototype.publish = function (event) {
      if (event.type === 'ipc')
        seen.push(
          `${event.message.topic} ${JSON.stringify(guestJsonValue(event.message.payload))}`,
        );
      return original.call(this, event);
    };
    try {
      await boot(home);
    } finally {
      EventBus.prototype.publish = original;
    }
    const onboarding = seen.find((s) => s.startsWith('astrid.v1.onboarding.required'));
    expect(onboarding).toContain('"capsule_id":"needs-config"');
    expect(onboarding).toContain('"key":"REGION"');
    expect(seen.indexOf('astrid.v1.capsules_loaded {"status":"ready"}')).toBeGreaterThan(
      seen.indexOf(onboarding as string),
    );
  });

  it('reloads one capsule, removes one over the API, and refuses network sources', async () => {
    const home = await freshHome();
    await installChainCapsules(home, [
      { name: 'keep', env: { TAG: 'k' }, handlers: { 'k.in': ['tag', 1] } },
      { name: 'drop' },
    ]);
    const h = await boot(home);
    const before = h.kernel.capsules.registry.get('keep' as never);
    expect((await h.client().kernel('ReloadCapsules', { capsule: 'keep' })).data).toEqual({
      status: 'reloaded',
      capsule: 'keep',
    });
    expect(h.kernel.capsules.registry.get('keep' as never)).not.toBe(before);
    const out = await h.client().kernel('RemoveCapsule', { name: 'drop', purge: true });
    expect(out.data).toMatchObject({ capsule: 'drop' });
    expect(h.kernel.capsules.registry.has('drop' as never)).toBe(false);
    await expect(
      h.client().kernel('InstallCapsule', { source: 'https://example.com/x.capsule' }),
    ).rejects.toThrow(/only local paths/);
    await expect(h.client().kernel('RemoveCapsule', { name: 'drop' })).rejects.toThrow(
      /is not installed/,
    );
  });

  it('the watcher reloads a capsule whose installed directory changed', async () => {
    const home = await freshHome();
    await installChainCapsules(home, [
      { name: 'watched', env: { TAG: 'v1' }, handlers: { 'w.in': ['report', 1] } },
    ]);
    const h = await boot(home, { watch: true });
    const seen = h.kernel.bus.subscribeRouted({
      capsuleUuid: 'obs',
      pattern: 'chain.seen',
      capsuleLabel: 'obs',
    });
    const ask = async () => {
      h.kernel.bus.publish(
        ipcEvent(ipcMessage({ topic: 'w.in', payload: rawJson({ q: 1 }), principal: 'default' })),
      );
      return (
        guestJsonValue((await seen.recv(5000))?.payload ?? { type: 'unknown' }) as { tag: string }
      ).tag;
    };
    expect(await ask()).toBe('v1');
    const toml = join(home.defaultPrincipal.capsuleDir('watched' as never), 'Capsule.toml');
    writeFileSync(toml, readFileSync(toml, 'utf8').replace('default = "v1"', 'default = "v2"'));
    await until(() =>
      h.logs.lines.some((l) => l.message === 'capsule directory changed; reloading'),
    );
    await until(() => h.kernel.capsules.registry.get('watched' as never)?.isReady);
    expect(await ask()).toBe('v2');
    seen.close();
  }, 30_000);

  it('a host_process capsule interrupts the processes of a cancelled tool call', async () => {
    const home = await freshHome();
    await installChainCapsules(home, [
      { name: 'runner', extraToml: '[capabilities]\nhost_process = ["sleep"]\n' },
    ]);
    const h = await boot(home);
    const engine = h.kernel.capsules.registry.get('runner' as never)?.wasm;
    const child = spawn('sleep', ['30']);
    const exited = new Promise((r) => child.once('exit', (_c, signal) => r(signal)));
    engine?.processes.track('call-7', child);
    h.kernel.bus.publish(
      ipcEvent(
        ipcMessage({
          topic: 'tool.v1.request.cancel',
          payload: { type: 'tool_cancel_request', call_ids: ['call-7'] },
          principal: 'default',
        }),
      ),
    );
    expect(await exited).toBe('SIGINT');
  });

  it('interceptors on the audit feed see only their owner’s rows unless the owner may read all', async () => {
    const home = await freshHome();
    await installChainCapsules(home, [
      { name: 'auditor', handlers: { 'astrid.v1.audit.entry': ['report', 1] } },
    ]);
    const h = await boot(home);
    const seen = h.kernel.bus.subscribeRouted({
      capsuleUuid: 'obs',
      pattern: 'chain.seen',
      capsuleLabel: 'obs',
    });
    const principals: (string | null)[] = [];
    void (async () => {
      for (let m = await seen.recv(); m !== null; m = await seen.recv()) {
        principals.push((guestJsonValue(m.payload) as { principal: string | null }).principal);
      }
    })();
    await h.client().admin('AgentCreate', { name: 'zed' });
    await h.client('zed').admin('AgentList');
    await until(() => principals.includes('zed') && principals.includes('default'));
    // The owner (default) is an administrator: it holds audit:read_all, so it sees zed's row too.
    expect(principals).toContain('zed');
    expect(principals).toContain('default');

    // An owner without audit:read_all: its interceptor sees only its own rows.
    h.kernel.state.profiles.save('default' as PrincipalId, makeProfile({ groups: ['agent'] }));
    h.kernel.state.profileCache.invalidate('default' as PrincipalId);
    await h.kernel.capsules.reload('auditor' as CapsuleId);
    principals.length = 0;
    await h.client('zed').admin('AgentList');
    await expect(h.client('default').kernel('GetStatus')).rejects.toThrow(/missing capability/);
    await until(() => principals.includes('default'));
    await new Promise((r) => setTimeout(r, 300));
    expect(principals).not.toContain('zed');
    seen.close();
  });

  it('workspace changes of a capsule are listed, committed and discarded through kernel requests', async () => {
    const home = await freshHome();
    const workspace = await tempDir('astrid-ws-');
    writeFileSync(join(workspace, 'keep.txt'), 'original');
    await installRaw(
      home,
      'editor',
      '[capabilities]\nfs_read = ["*"]\nfs_write = ["*"]\nuplink = true\n',
      await componentFromJs(HOSTS_JS, HOSTS_WORLD, 'hosts'),
    );
    const h = await boot(home, { workspace });
    const editor = h.kernel.capsules.registry.get('editor' as CapsuleId);
    if (editor === undefined) throw new Error('editor did not load');
    const act = async (action: string, args: unknown) => {
      const out = await editor.invokeInterceptor(
        action,
        new TextEncoder().encode(JSON.stringify(args)),
      );
      if (out.kind !== 'continue') throw new Error(`unexpected ${out.kind}`);
      return JSON.parse(new TextDecoder().decode(out.payload));
    };
    expect(await act('write', { path: 'new.txt', content: 'n' })).toEqual({ ok: 'ok' });
    expect(await act('unlink', { path: 'keep.txt' })).toEqual({ ok: 'ok' });
    const diff = await h.client().kernel('WorkspaceDiff', { capsule: 'editor' });
    expect(diff.data).toEqual({
      capsule: 'editor',
      changes: [
        { path: 'keep.txt', kind: 'deleted', type: 'file' },
        { path: 'new.txt', kind: 'added', type: 'file' },
      ],
    });
    expect(existsSync(join(workspace, 'new.txt'))).toBe(false);
    expect((await h.client().kernel('WorkspaceDiscard', { capsule: 'editor' })).data).toEqual({
      capsule: 'editor',
      discarded: 2,
    });
    expect(await act('read', { path: 'keep.txt' })).toEqual({ ok: 'original' });
    expect(await act('write', { path: 'new.txt', content: 'n2' })).toEqual({ ok: 'ok' });
    await h.client().kernel('WorkspaceCommit', { capsule: 'editor' });
    expect(readFileSync(join(workspace, 'new.txt'), 'utf8')).toBe('n2');
    expect((await h.client().kernel('WorkspaceDiff', { capsule: 'editor' })).data).toEqual({
      capsule: 'editor',
      changes: [],
    });
    await expect(h.client().kernel('WorkspaceDiff', { capsule: 'ghost' })).rejects.toMatchObject({
      code: 'not-found',
    });
    const id = (await act('uplinkRegister', {
      name: 'chat',
      platform: 'matrix',
      profile: 'chat',
    })) as { ok: string };
    expect((await h.client().kernel('ListUplinks')).data).toEqual([
      {
        id: id.ok,
        capsule: 'editor',
        name: 'chat',
        platform: 'matrix',
        profile: 'chat',
        source: 'runtime',
      },
    ]);
  });
});
