import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { DaemonConfig } from './daemon-config.js';

export interface RuntimeLimits {
  readonly hostBlockingConcurrency: number;
  readonly hostIoConcurrency: number;
  readonly instancePoolSize: number;
}

/**
 * Host-derived defaults under any configured value: blocking = max(cores − 2,
 * 2); io = min(max(cores × 64, 64), max(fd soft limit / 2, 1)); pool =
 * clamp(cores × 2, 8, 64). Pure.
 */
export function resolveRuntimeLimits(
  config: DaemonConfig,
  cores: number,
  fdSoftLimit: number,
): RuntimeLimits {
  return {
    hostBlockingConcurrency: config.capsule.hostBlockingConcurrency ?? Math.max(cores - 2, 2),
    hostIoConcurrency:
      config.capsule.hostIoConcurrency ??
      Math.min(Math.max(cores * 64, 64), Math.max(Math.floor(fdSoftLimit / 2), 1)),
    instancePoolSize: config.capsule.instancePoolSize ?? Math.min(64, Math.max(8, cores * 2)),
  };
}

/** The process's open-file soft limit (Linux `/proc/self/limits`; 1024 where unknown). */
export function fdSoftLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    const n = soft === undefined ? Number.NaN : Number(soft);
    return Number.isFinite(n) && n > 0 ? n : 1024;
  } catch {
    return 1024;
  }
}

export function hostRuntimeLimits(config: DaemonConfig): RuntimeLimits {
  return resolveRuntimeLimits(config, availableParallelism(), fdSoftLimit());
}
