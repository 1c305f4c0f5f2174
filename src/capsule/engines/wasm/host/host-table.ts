import type { HostFunction, HostTable } from './host-dispatcher.js';
import { IO_HOST } from './io-host.js';
import { IPC_HOST } from './ipc-host.js';
import { SYS_HOST } from './sys-host.js';

/**
 * Every host interface implemented so far. A component importing an
 * interface with no implementation here is refused at load with a clear
 * error (see `missingHostInterfaces`); nothing is stubbed.
 */
export const IMPLEMENTED_INTERFACES: readonly string[] = [
  'astrid:io/error@1.0.0',
  'astrid:io/poll@1.0.0',
  'astrid:sys/host@1.0.0',
  'astrid:ipc/host@1.0.0',
  'astrid:guest/lifecycle@1.0.0',
];

export function defaultHostTable(): HostTable {
  const table = new Map<string, HostFunction>();
  for (const [key, fn] of [...IO_HOST, ...SYS_HOST, ...IPC_HOST]) table.set(key, fn);
  return table;
}

/** Interfaces a component imports that this build does not implement. */
export function missingHostInterfaces(imported: readonly string[]): string[] {
  return imported.filter((i) => !IMPLEMENTED_INTERFACES.includes(i));
}
