import { type CapsuleCapabilities, IDENTITY_LEVELS, type IdentityLevel } from './manifest.js';
import type { TableReader } from './toml-reader.js';

/** The list capabilities a `[[component]]` may add to the root set. */
export const COMPONENT_MERGED_CAPABILITIES = [
  'fs_read',
  'fs_write',
  'host_process',
  'net',
  'net_bind',
] as const;

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

export function emptyCapabilities(): Mutable<CapsuleCapabilities> {
  return {
    net: [],
    netConnect: [],
    netBind: [],
    fsRead: [],
    fsWrite: [],
    hostProcess: [],
    allowPersistent: false,
    kv: [],
    identity: [],
    uplink: false,
    allowPromptInjection: false,
  };
}

function checkNetConnect(caps: TableReader, entries: string[]): string[] {
  const ok: string[] = [];
  for (const entry of entries) {
    const colon = entry.lastIndexOf(':');
    const host = colon > 0 ? entry.slice(0, colon) : '';
    const port = colon > 0 ? entry.slice(colon + 1) : '';
    const portOk = port === '*' || (/^\d{1,5}$/.test(port) && Number(port) <= 65_535);
    if (host.length === 0 || !portOk) {
      caps.error(
        'capability-entry-invalid',
        'net_connect',
        `entry ${JSON.stringify(entry)} must be "host:port" or "host:*" (port 0–65535), e.g. "cache.internal:6379"`,
      );
      continue;
    }
    ok.push(entry);
  }
  return ok;
}

function checkFsEntries(
  caps: TableReader,
  key: 'fs_read' | 'fs_write',
  entries: string[],
): string[] {
  const ok: string[] = [];
  for (const entry of entries) {
    // '..' is refused under every root: a grant never reaches above the root it names.
    const noParent = !entry.split(/[\\/]/).includes('..');
    const valid =
      entry === '*' ||
      ((entry.startsWith('cwd://') || entry.startsWith('home://') || entry.startsWith('/')) &&
        noParent);
    if (!valid) {
      caps.error(
        'capability-entry-invalid',
        key,
        `entry ${JSON.stringify(entry)} must be "cwd://<path>", "home://<path>", "*" or an absolute path without '..'`,
      );
      continue;
    }
    ok.push(entry);
  }
  return ok;
}

function nonBlank(caps: TableReader, key: string, entries: string[]): string[] {
  const ok: string[] = [];
  for (const entry of entries) {
    if (entry.trim().length === 0) {
      caps.error(
        'capability-entry-invalid',
        key,
        `entries must not be blank (got ${JSON.stringify(entry)})`,
      );
      continue;
    }
    ok.push(entry);
  }
  return ok;
}

/** Reads `[capabilities]` (fail closed: everything absent is empty/false). */
export function readCapabilities(caps: TableReader | null): Mutable<CapsuleCapabilities> {
  const out = emptyCapabilities();
  if (caps === null) return out;
  if (caps.has('ipc_publish')) {
    caps.warn(
      'legacy-ipc-publish',
      'ipc_publish',
      'is a legacy key and grants nothing; list publish topics as keys of a [publish] table instead',
    );
  }
  if (caps.has('ipc_subscribe')) {
    caps.warn(
      'legacy-ipc-subscribe',
      'ipc_subscribe',
      'is a legacy key and grants nothing; list subscribe patterns as keys of a [subscribe] table instead',
    );
  }
  out.net = nonBlank(caps, 'net', caps.stringList('net', '["api.example.com"]'));
  out.netConnect = checkNetConnect(caps, caps.stringList('net_connect', '["cache.internal:6379"]'));
  out.netBind = caps.stringList('net_bind', '["unix:cli"]');
  out.fsRead = checkFsEntries(caps, 'fs_read', caps.stringList('fs_read', '["cwd://data"]'));
  out.fsWrite = checkFsEntries(
    caps,
    'fs_write',
    caps.stringList('fs_write', '["home://.local/tmp"]'),
  );
  out.hostProcess = nonBlank(
    caps,
    'host_process',
    caps.stringList('host_process', '["git status"]'),
  );
  out.allowPersistent = caps.bool('allow_persistent');
  out.kv = caps.stringList('kv');
  for (const level of caps.stringList('identity', '["resolve"]')) {
    if (!(IDENTITY_LEVELS as readonly string[]).includes(level)) {
      caps.error(
        'capability-entry-invalid',
        'identity',
        `unknown identity level ${JSON.stringify(level)}; use ${IDENTITY_LEVELS.map((l) => `"${l}"`).join(', ')}`,
      );
      continue;
    }
    out.identity.push(level as IdentityLevel);
  }
  out.uplink = caps.bool('uplink');
  out.allowPromptInjection = caps.bool('allow_prompt_injection');
  return out;
}

/** Load step 2: component-level `fs_read`, `fs_write`, `host_process`, `net`, `net_bind` append to the root set. */
export function mergeComponentCapabilities(
  root: Mutable<CapsuleCapabilities>,
  component: TableReader,
): void {
  const caps = component.subTable('capabilities', '{ fs_read = ["cwd://data"] }');
  if (caps === null) return;
  root.fsRead.push(...checkFsEntries(caps, 'fs_read', caps.stringList('fs_read')));
  root.fsWrite.push(...checkFsEntries(caps, 'fs_write', caps.stringList('fs_write')));
  root.hostProcess.push(...nonBlank(caps, 'host_process', caps.stringList('host_process')));
  root.net.push(...nonBlank(caps, 'net', caps.stringList('net')));
  root.netBind.push(...caps.stringList('net_bind'));
  for (const key of Object.keys(caps.table)) {
    if (!(COMPONENT_MERGED_CAPABILITIES as readonly string[]).includes(key)) {
      caps.warn(
        'component-extra-ignored',
        key,
        `is ignored at component level; only ${COMPONENT_MERGED_CAPABILITIES.join(', ')} merge — declare it under [capabilities]`,
      );
    }
  }
}

export type { Mutable };
