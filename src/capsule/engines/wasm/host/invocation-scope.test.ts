import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { CapsuleId } from '../../../../core/ids/capsule-id.js';
import type { PrincipalId } from '../../../../core/ids/principal-id.js';
import { AstridHome } from '../../../../storage/home/astrid-home.js';
import { invocationScope } from './invocation-scope.js';
import { ProcessTracker } from './process-tracker.js';

describe('invocationScope', () => {
  const home = new AstridHome('/h');
  it('always scopes KV by principal; mounts only an existing home', () => {
    const exists = (p: string) => p === '/h/home/alice';
    expect(invocationScope(home, 'weather' as CapsuleId, 'alice' as PrincipalId, exists)).toEqual({
      principal: 'alice',
      kvNamespace: 'alice:capsule:weather',
      home: '/h/home/alice',
      tmp: '/h/home/alice/.local/tmp',
    });
    expect(invocationScope(home, 'weather' as CapsuleId, 'ghost' as PrincipalId, exists)).toEqual({
      principal: 'ghost',
      kvNamespace: 'ghost:capsule:weather',
      home: null,
      tmp: null,
    });
  });
});

describe('ProcessTracker', () => {
  it('interrupts the children of a cancelled call and kills the rest on unload', async () => {
    const t = new ProcessTracker(200);
    const a = spawn('sleep', ['30']);
    const b = spawn('sleep', ['30']);
    const exitA = new Promise((r) => a.once('exit', (_c, s) => r(s)));
    const exitB = new Promise((r) => b.once('exit', (_c, s) => r(s)));
    t.track('call-1', a);
    t.track('call-2', b);
    expect(t.cancel(['call-1', 'unknown'])).toBe(1);
    expect(await exitA).toBe('SIGINT');
    expect(t.killAll()).toBe(1);
    expect(await exitB).toBe('SIGKILL');
  });

  it('escalates to SIGKILL when SIGINT is ignored', async () => {
    const t = new ProcessTracker(100);
    const child = spawn(process.execPath, [
      '-e',
      "process.on('SIGINT', () => {}); setInterval(() => {}, 1000); console.log('up')",
    ]);
    await new Promise((r) => child.stdout.once('data', r));
    const exit = new Promise((r) => child.once('exit', (_c, s) => r(s)));
    t.track('c', child);
    t.cancel(['c']);
    expect(await exit).toBe('SIGKILL');
  });
});
