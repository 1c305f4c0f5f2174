import { constants } from 'node:os';

export interface ExitInfo {
  readonly exitCode: number | null;
  readonly signal: number | null;
}

/** Signal names the guest may send, as numbers. */
export const PROCESS_SIGNALS: Readonly<Record<string, NodeJS.Signals>> = {
  term: 'SIGTERM',
  hup: 'SIGHUP',
  usr1: 'SIGUSR1',
  usr2: 'SIGUSR2',
  int: 'SIGINT',
  stop: 'SIGSTOP',
  cont: 'SIGCONT',
};

export function signalNumber(name: NodeJS.Signals): number {
  return constants.signals[name];
}

/**
 * How a sandboxed child ended. The sandbox reports a child killed by signal
 * N as status 128 + N (the shell convention), so 129–159 read as signals;
 * if the sandbox itself was killed, Node reports its signal. Pure.
 */
export function exitInfoOf(code: number | null, signal: NodeJS.Signals | null): ExitInfo {
  if (signal !== null) return { exitCode: null, signal: signalNumber(signal) };
  if (code !== null && code > 128 && code < 160) return { exitCode: null, signal: code - 128 };
  return { exitCode: code, signal: null };
}

/** The guest's `exit-info` record. */
export function guestExit(e: ExitInfo): { exitCode?: number; signal?: number } {
  return {
    ...(e.exitCode === null ? {} : { exitCode: e.exitCode }),
    ...(e.signal === null ? {} : { signal: e.signal }),
  };
}
