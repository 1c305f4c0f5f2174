import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processAlive, waitUntilGone } from './process-alive.js';

describe('processAlive / waitUntilGone', () => {
  it('sees a running process, then its exit', async () => {
    expect(processAlive(process.pid)).toBe(true);
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 200)'], { stdio: 'ignore' });
    const pid = child.pid as number;
    expect(processAlive(pid)).toBe(true);
    expect(await waitUntilGone(pid, 5_000, 20)).toBe(true);
    expect(processAlive(pid)).toBe(false);
  });

  it('gives up after the timeout while the process still runs', async () => {
    expect(await waitUntilGone(process.pid, 50, 10)).toBe(false);
  });
});
