import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCapsule } from './index.js';
import type { TestCapsule } from './test-capsule.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Build and artifact caches survive between runs here (the fixture itself is copied fresh). */
const CACHE = join(ROOT, 'test', '.cache', 'sdk-testing');
const BUILD_TIMEOUT_MS = 240_000;
const temps: string[] = [];

/** A fresh copy of `test/fixtures/<name>` whose `.astrid/` caches persist. */
async function fixture(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `astrid-${name}-`));
  temps.push(dir);
  await cp(join(ROOT, 'test', 'fixtures', name), dir, {
    recursive: true,
    filter: (src) => !src.includes('.astrid') && !src.endsWith('.wasm'),
  });
  const cache = join(CACHE, name);
  await mkdir(cache, { recursive: true });
  await symlink(cache, join(dir, '.astrid'), 'dir');
  return dir;
}

afterAll(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('loadCapsule: an interceptor capsule under the real engine', () => {
  let dir: string;
  let capsule: TestCapsule;

  beforeAll(async () => {
    dir = await fixture('testing-capsule');
    capsule = await loadCapsule(dir);
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await capsule?.close();
  });

  it('names the capsule and the component it built', () => {
    expect(capsule.name).toBe('testing-fixture');
    expect(capsule.version).toBe('0.2.0');
    expect(capsule.build.componentPath).toBe(join(dir, 'testing_fixture.wasm'));
    expect(capsule.build.componentBytes).toBeGreaterThan(0);
  });

  it('publish runs the interceptor bound in Capsule.toml and waits for it', async () => {
    capsule.clearPublished();
    const report = await capsule.publish('fixture.v1.in', { n: 1 });
    expect(report.invocations).toEqual([
      { capsule: 'testing-fixture', action: 'echo', outcome: 'continue' },
    ]);
    expect(capsule.published()).toEqual([
      { topic: 'fixture.v1.out', payload: { echoed: { n: 1 } }, principal: 'default' },
    ]);
  });

  it('delivers for the principal given, and filters published() by topic pattern', async () => {
    capsule.clearPublished();
    await capsule.publish('fixture.v1.in', 'hi', { principal: 'alice' });
    await capsule.publish('fixture.v1.ping', {});
    expect(capsule.published('fixture.v1.out')).toEqual([
      { topic: 'fixture.v1.out', payload: { echoed: 'hi' }, principal: 'alice' },
    ]);
    expect(capsule.published('fixture.*').map((m) => m.topic)).toEqual([
      'fixture.v1.out',
      'fixture.v1.pong',
    ]);
    expect(capsule.published('other.*')).toEqual([]);
  });

  it('waits for what the capsule publishes in turn (a cascade through the dispatcher)', async () => {
    const before = (capsule.kv().getJson('pongs') as number | undefined) ?? 0;
    const report = await capsule.publish('fixture.v1.ping', {});
    expect(report.invocations.map((i) => i.action).sort()).toEqual(['ping', 'pong']);
    expect(capsule.kv().getJson('pongs')).toBe(before + 1);
  });

  it('runs a chain in priority order with payload replacement, as the daemon does', async () => {
    capsule.clearPublished();
    const report = await capsule.publish('chain.v1.in', { n: 2 });
    expect(report.invocations.slice(0, 2).map((i) => [i.action, i.outcome])).toEqual([
      ['stamp', 'continue'],
      ['relay', 'final'],
    ]);
    expect(capsule.published('chain.v1.out').map((m) => m.payload)).toEqual([
      { n: 2, stamped: true },
    ]);
  });

  it('reports a deny without failing', async () => {
    const report = await capsule.publish('fixture.v1.guarded', {});
    expect(report.invocations).toEqual([
      { capsule: 'testing-fixture', action: 'guard', outcome: 'deny', reason: 'not on the list' },
    ]);
  });

  it('rejects when an interceptor traps, and the capsule keeps working', async () => {
    await expect(capsule.publish('fixture.v1.boom', {})).rejects.toThrow(
      /^interceptor boom of capsule testing-fixture failed: /,
    );
    capsule.clearPublished();
    await capsule.publish('fixture.v1.in', 3);
    expect(capsule.published().map((m) => m.payload)).toEqual([{ echoed: 3 }]);
  });

  it('publishing nowhere runs nothing', async () => {
    expect(await capsule.publish('nobody.listens', {})).toEqual({ invocations: [] });
  });

  it('refuses an invalid topic or principal', async () => {
    await expect(capsule.publish('bad..topic', {})).rejects.toThrow(/empty segment/);
    await expect(capsule.publish('a.b', {}, { principal: 'Not Valid' })).rejects.toThrow(
      /principal/,
    );
  });

  it('waitFor returns a message already published, and times out on one that never comes', async () => {
    capsule.clearPublished();
    await capsule.publish('fixture.v1.in', 'w');
    expect(await capsule.waitFor('fixture.v1.out')).toEqual({
      topic: 'fixture.v1.out',
      payload: { echoed: 'w' },
      principal: 'default',
    });
    await expect(capsule.waitFor('fixture.v1.never', { timeoutMs: 50 })).rejects.toThrow(
      'no message from capsule testing-fixture on fixture.v1.never within 50 ms',
    );
  });

  it('callTool runs a tool and the KV store holds what it stored, per principal', async () => {
    const result = await capsule.callTool('fixture_put', { key: 'colour', value: 'teal' });
    expect(result).toMatchObject({ isError: false, value: { stored: 'colour' } });
    expect(result.content).toBe('{"stored":"colour"}');
    expect(capsule.kv().getJson('colour')).toBe('teal');
    expect(capsule.kv().getText('colour')).toBe('"teal"');
    expect(capsule.kv().keys()).toContain('colour');

    await capsule.callTool('fixture_put', { key: 'colour', value: 'red' }, { principal: 'bob' });
    expect(capsule.kv('bob').getJson('colour')).toBe('red');
    expect(capsule.kv().getJson('colour')).toBe('teal');
  });

  it('callTool returns a failing tool as an error result', async () => {
    const result = await capsule.callTool('fixture_put', {});
    expect(result.isError).toBe(true);
    expect(result.content).toBe('key must be a string');
  });

  it('kv() seeds values the capsule then reads', async () => {
    capsule.kv('carol').setJson('pongs', 41);
    await capsule.publish('fixture.v1.ping', {}, { principal: 'carol' });
    expect(capsule.kv('carol').getJson('pongs')).toBe(42);
    expect(capsule.kv('carol').get('missing')).toBeUndefined();
  });

  it('callTool of a tool nobody serves fails at once with what to bind', async () => {
    await expect(capsule.callTool('nope', {})).rejects.toThrow(
      /no result of tool nope: nothing in capsule testing-fixture handled it; bind "tool\.v1\.execute\.nope" to handler "tool_execute"/,
    );
  });

  it('describeTools returns the tools the capsule declares', async () => {
    const tools = await capsule.describeTools();
    expect(tools.map((t) => t.name)).toEqual(['fixture_greeting', 'fixture_put']);
    expect(tools[1]).toEqual({
      name: 'fixture_put',
      description: 'Stores a value under a key.',
      inputSchema: { type: 'object' },
    });
  });

  it('the capsule reads its [env] default; logs() has its log lines per principal', async () => {
    const result = await capsule.callTool('fixture_greeting');
    expect(result.value).toBe('hello from the manifest');
    await capsule.callTool('fixture_greeting', {}, { principal: 'dave' });
    const mine = (await capsule.logs()).filter((l) => l.message === 'greeting read');
    expect(mine).toEqual([
      { level: 'info', message: 'greeting read', source: 'capsule', principal: 'default' },
      { level: 'info', message: 'greeting read', source: 'capsule', principal: 'dave' },
    ]);
  });

  it('passes operator [env] values, and a rebuild of the same project is a cache hit', async () => {
    const again = await loadCapsule(dir, { env: { GREETING: 'hi from the test' } });
    try {
      expect(again.build.cached).toBe(true);
      expect((await again.callTool('fixture_greeting')).value).toBe('hi from the test');
    } finally {
      await again.close();
    }
    await expect(again.publish('fixture.v1.in', {})).rejects.toThrow(
      'capsule testing-fixture was closed',
    );
  });
});

describe('loadCapsule: options and failures', () => {
  it('refuses a directory that does not exist', async () => {
    await expect(loadCapsule(join(tmpdir(), 'astrid-no-such-capsule'))).rejects.toThrow(
      /capsule project directory .*astrid-no-such-capsule does not exist/,
    );
  });

  it('reports build errors from the capsule files', async () => {
    const dir = await fixture('testing-capsule');
    await rm(join(dir, 'src', 'index.ts'));
    await expect(loadCapsule(dir)).rejects.toThrow(
      /the capsule entry src\/index\.ts does not exist/,
    );
  });
});

describe('loadCapsule: a run-loop capsule', () => {
  let capsule: TestCapsule;

  beforeAll(async () => {
    capsule = await loadCapsule(await fixture('testing-loop'));
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await capsule?.close();
  });

  it('waitFor sees what the loop publishes in answer', async () => {
    const report = await capsule.publish('loop.v1.in', { n: 7 });
    expect(report.invocations).toEqual([]);
    const answer = await capsule.waitFor('loop.v1.out');
    expect(answer.payload).toEqual({ got: { n: 7 } });
  });
});
