import { randomFillSync } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { resolveCapsuleSecret } from '../../../../storage/secrets/capsule-secrets.js';
import { CapsuleLog, type GuestLogLevel } from '../../../logs/capsule-log.js';
import { callerTimestamp } from './caller-context.js';
import type { HostFunction } from './host-dispatcher.js';
import { HostError } from './host-error.js';
import type { InstanceState } from './instance-state.js';

const SYS = 'astrid:sys/host@1.0.0';
const MAX_ENV_OVERLAY_BYTES = 1024 * 1024;
const MAX_SLEEP_NS = 60_000_000_000n;
const MAX_RANDOM_BYTES = 4096n;
const LEVELS: readonly GuestLogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];
const monotonicAnchor = process.hrtime.bigint();

/** The non-owner caller's env overlay: a regular file ≤ 1 MiB holding `{string: string}`, re-read each call. */
async function envOverlay(state: InstanceState): Promise<Record<string, string> | null> {
  const path = state.host.home.principal(state.effectivePrincipal).envFile(state.host.capsuleId);
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_ENV_OVERLAY_BYTES) return null;
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    if (!Object.values(parsed).every((v) => typeof v === 'string')) return null;
    return parsed as Record<string, string>;
  } catch {
    return null;
  }
}

async function getConfig(state: InstanceState, key: string): Promise<string | undefined> {
  const host = state.host;
  const def = host.manifest.env.find((e) => e.key === key);
  if (def?.kind === 'secret') {
    try {
      return (
        (await resolveCapsuleSecret(host.home, state.effectivePrincipal, host.capsuleId, key)) ??
        undefined
      );
    } catch (e) {
      host.logger.warn(
        {
          security_event: true,
          capsule: host.capsuleId,
          key,
          err: e instanceof Error ? e.message : String(e),
        },
        'secret store read failed',
      );
      return undefined;
    }
  }
  if (state.isOverlay) {
    const overlay = await envOverlay(state);
    if (overlay !== null && key in overlay) return overlay[key];
  }
  return host.config.get(key);
}

async function log(state: InstanceState, level: GuestLogLevel, message: string): Promise<void> {
  const host = state.host;
  const principalHome = host.home.principal(state.effectivePrincipal).root;
  let written = false;
  try {
    written = await new CapsuleLog(principalHome, host.capsuleId).write(level, message);
  } catch (e) {
    host.logger.warn(
      { plugin: host.capsuleId, err: e instanceof Error ? e.message : String(e) },
      'capsule log write failed',
    );
  }
  if (!written || level === 'error') {
    const fields = { plugin: host.capsuleId, principal: state.effectivePrincipal };
    if (level === 'error') host.logger.error(fields, message);
    else if (level === 'warn') host.logger.warn(fields, message);
    else if (level === 'info') host.logger.info(fields, message);
    else host.logger.debug(fields, message);
  }
}

/** `astrid:sys/host`. Clocks, entropy and sleep are also answered inside the worker. */
export const SYS_HOST: ReadonlyArray<readonly [string, HostFunction]> = [
  [`${SYS}#getConfig`, (state, args) => getConfig(state, String(args[0]))],
  [
    `${SYS}#getCaller`,
    (state) => {
      const c = state.caller;
      if (c === null) return { principal: undefined, sourceId: '', timestamp: '' };
      return {
        principal: c.principal ?? undefined,
        sourceId: c.sourceId,
        timestamp: callerTimestamp(c.timestampMs),
      };
    },
  ],
  [
    `${SYS}#log`,
    (state, args) => {
      const level = LEVELS.includes(args[0] as GuestLogLevel) ? (args[0] as GuestLogLevel) : 'info';
      return log(state, level, String(args[1]));
    },
  ],
  [
    `${SYS}#signalReady`,
    (state) => {
      state.onReady?.();
    },
  ],
  [`${SYS}#clockMs`, () => BigInt(Math.max(0, Date.now()))],
  [`${SYS}#clockMonotonicNs`, () => process.hrtime.bigint() - monotonicAnchor],
  [
    `${SYS}#sleepNs`,
    async (state, args) => {
      const ns = args[0] as bigint;
      if (ns > MAX_SLEEP_NS) throw new HostError('too-large', `sleep is limited to 60 s`);
      if (state.host.cancel.aborted) throw new HostError('cancelled');
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, Number(ns / 1_000_000n));
        state.host.cancel.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            reject(new HostError('cancelled'));
          },
          { once: true },
        );
      });
      return undefined;
    },
  ],
  [
    `${SYS}#randomBytes`,
    (_state, args) => {
      const n = args[0] as bigint;
      if (n > MAX_RANDOM_BYTES)
        throw new HostError('too-large', 'at most 4096 random bytes per call');
      return randomFillSync(new Uint8Array(Number(n)));
    },
  ],
  [
    `${SYS}#checkCapsuleCapability`,
    (state, args) => {
      const registry = state.host.registry;
      if (registry === null) throw new HostError('registry-unavailable');
      const req = args[0] as { sourceUuid?: unknown; capability?: unknown } | null | undefined;
      if (typeof req?.sourceUuid !== 'string' || typeof req?.capability !== 'string')
        return { allowed: false };
      const held = registry.heldCapabilities(req.sourceUuid);
      return { allowed: held?.includes(req.capability) === true };
    },
  ],
  [`${SYS}#enumerateCapabilities`, (state) => [...state.host.heldCapabilities]],
];
