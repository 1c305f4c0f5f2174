import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import { exitInfoOf, guestExit, PROCESS_SIGNALS, signalNumber } from './exit-info.js';

describe('PROCESS_SIGNALS and signalNumber', () => {
  it('names exactly the signals a guest may send', () => {
    expect(PROCESS_SIGNALS).toEqual({
      term: 'SIGTERM',
      hup: 'SIGHUP',
      usr1: 'SIGUSR1',
      usr2: 'SIGUSR2',
      int: 'SIGINT',
      stop: 'SIGSTOP',
      cont: 'SIGCONT',
    });
    expect(PROCESS_SIGNALS.kill).toBeUndefined();
  });

  it("maps signal names to the host's numbers", () => {
    expect(signalNumber('SIGTERM')).toBe(15);
    expect(signalNumber('SIGKILL')).toBe(9);
    expect(signalNumber('SIGHUP')).toBe(1);
    expect(signalNumber('SIGINT')).toBe(2);
    for (const name of Object.values(PROCESS_SIGNALS))
      expect(signalNumber(name)).toBe(constants.signals[name]);
  });
});

describe('exitInfoOf', () => {
  it('reports a normal exit code', () => {
    expect(exitInfoOf(0, null)).toEqual({ exitCode: 0, signal: null });
    expect(exitInfoOf(1, null)).toEqual({ exitCode: 1, signal: null });
    expect(exitInfoOf(127, null)).toEqual({ exitCode: 127, signal: null });
  });

  it('reads 128 + N from the sandbox as signal N, for 129 to 159 only', () => {
    expect(exitInfoOf(128, null)).toEqual({ exitCode: 128, signal: null });
    expect(exitInfoOf(129, null)).toEqual({ exitCode: null, signal: 1 });
    expect(exitInfoOf(137, null)).toEqual({ exitCode: null, signal: 9 });
    expect(exitInfoOf(143, null)).toEqual({ exitCode: null, signal: 15 });
    expect(exitInfoOf(159, null)).toEqual({ exitCode: null, signal: 31 });
    expect(exitInfoOf(160, null)).toEqual({ exitCode: 160, signal: null });
    expect(exitInfoOf(255, null)).toEqual({ exitCode: 255, signal: null });
  });

  it("reports the sandbox's own signal when Node saw one, ignoring the code", () => {
    expect(exitInfoOf(null, 'SIGKILL')).toEqual({ exitCode: null, signal: 9 });
    expect(exitInfoOf(0, 'SIGTERM')).toEqual({ exitCode: null, signal: 15 });
    expect(exitInfoOf(137, 'SIGHUP')).toEqual({ exitCode: null, signal: 1 });
  });

  it('reports neither when neither is known', () => {
    expect(exitInfoOf(null, null)).toEqual({ exitCode: null, signal: null });
  });
});

describe('guestExit', () => {
  it('omits the fields that are null', () => {
    expect(guestExit({ exitCode: 0, signal: null })).toStrictEqual({ exitCode: 0 });
    expect(guestExit({ exitCode: null, signal: 9 })).toStrictEqual({ signal: 9 });
    expect(guestExit({ exitCode: null, signal: null })).toStrictEqual({});
    expect(guestExit({ exitCode: 3, signal: 2 })).toStrictEqual({ exitCode: 3, signal: 2 });
  });

  it('keeps an exit code of zero', () => {
    expect('exitCode' in guestExit(exitInfoOf(0, null))).toBe(true);
  });
});
