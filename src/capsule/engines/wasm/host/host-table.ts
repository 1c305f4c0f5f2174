import { APPROVAL_HOST } from './approval-host.js';
import { ELICIT_HOST } from './elicit-host.js';
import { FS_HOST } from './fs-host.js';
import type { HostFunction, HostTable } from './host-dispatcher.js';
import { HTTP_HOST } from './http/http-host.js';
import { IDENTITY_HOST } from './identity-host.js';
import { IO_HOST } from './io-host.js';
import { IPC_HOST } from './ipc-host.js';
import { KV_HOST } from './kv-host.js';
import { NET_HOST } from './net/net-host.js';
import { PROCESS_HOST } from './process/process-host.js';
import { STREAMS_HOST } from './streams/streams-host.js';
import { SYS_HOST } from './sys-host.js';
import { UPLINK_HOST } from './uplink-host.js';

/**
 * Every host interface the kernel world offers. A component importing an
 * interface not listed here (any `wasi:*`, another version) is refused at
 * load with a clear error (see `missingHostInterfaces`).
 */
export const IMPLEMENTED_INTERFACES: readonly string[] = [
  'astrid:io/error@1.0.0',
  'astrid:io/poll@1.0.0',
  'astrid:io/streams@1.0.0',
  'astrid:sys/host@1.0.0',
  'astrid:ipc/host@1.0.0',
  'astrid:kv/host@1.0.0',
  'astrid:fs/host@1.0.0',
  'astrid:http/host@1.0.0',
  'astrid:net/host@1.0.0',
  'astrid:process/host@1.0.0',
  'astrid:identity/host@1.0.0',
  'astrid:approval/host@1.0.0',
  'astrid:elicit/host@1.0.0',
  'astrid:uplink/host@1.0.0',
  'astrid:guest/lifecycle@1.0.0',
];

export function defaultHostTable(): HostTable {
  const table = new Map<string, HostFunction>();
  for (const [key, fn] of [
    ...IO_HOST,
    ...STREAMS_HOST,
    ...SYS_HOST,
    ...IPC_HOST,
    ...KV_HOST,
    ...FS_HOST,
    ...HTTP_HOST,
    ...NET_HOST,
    ...PROCESS_HOST,
    ...IDENTITY_HOST,
    ...APPROVAL_HOST,
    ...ELICIT_HOST,
    ...UPLINK_HOST,
  ])
    table.set(key, fn);
  return table;
}

/** Interfaces a component imports that this build does not implement. */
export function missingHostInterfaces(imported: readonly string[]): string[] {
  return imported.filter((i) => !IMPLEMENTED_INTERFACES.includes(i));
}
