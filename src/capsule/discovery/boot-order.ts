import type { CapsuleId } from '../../core/ids/capsule-id.js';
import { SemVer } from '../../core/semver/version.js';
import type { CapsuleManifest, ImportDef } from '../manifest/manifest.js';

export interface BootPlan {
  /** Load order: every provider before its consumers (discovery order when there is a cycle). */
  readonly order: readonly CapsuleId[];
  /** Capsules with a required import nobody exports: they are not loaded. */
  readonly unsatisfied: ReadonlyMap<CapsuleId, string>;
  /** Capsules caught in (or behind) an import cycle; null when there is none. */
  readonly cycle: readonly CapsuleId[] | null;
  /** `ns/iface` exported by more than one capsule (events may be handled twice). */
  readonly duplicateExports: readonly {
    readonly iface: string;
    readonly capsules: readonly CapsuleId[];
  }[];
  /** Optional imports nobody exports (informational). */
  readonly unmetOptional: readonly string[];
}

/** Whether `provider` exports an interface that satisfies the import (Cargo-style version match). Pure. */
export function provides(provider: CapsuleManifest, imp: ImportDef): boolean {
  return provider.exports.some((e) => {
    if (e.namespace !== imp.namespace || e.interface !== imp.interface) return false;
    try {
      return imp.requirement.matches(new SemVer(e.version));
    } catch {
      return false;
    }
  });
}

function describe(imp: ImportDef): string {
  return `${imp.namespace}:${imp.interface} ${imp.requirement.source}`;
}

/**
 * Plans the boot: resolves every import against the other capsules'
 * exports (Cargo-style requirements), drops capsules with an unsatisfiable
 * required import (naming it), and orders the rest topologically (Kahn,
 * seeded in input order, so ties keep discovery order). A cycle is reported
 * with every node it blocks, and the fallback is input order. Pure.
 */
export function planBoot(manifests: readonly CapsuleManifest[]): BootPlan {
  const unsatisfied = new Map<CapsuleId, string>();
  const unmetOptional: string[] = [];
  for (const m of manifests) {
    for (const imp of m.imports) {
      const met = manifests.some((p) => p !== m && provides(p, imp));
      if (met) continue;
      if (imp.optional) unmetOptional.push(`${m.package.name} → ${describe(imp)}`);
      else {
        const msg = `capsule '${m.package.name}' imports ${describe(imp)}, which no installed capsule exports`;
        unsatisfied.set(
          m.package.name,
          unsatisfied.has(m.package.name) ? `${unsatisfied.get(m.package.name)}; ${msg}` : msg,
        );
      }
    }
  }
  const exporters = new Map<string, CapsuleId[]>();
  for (const m of manifests) {
    for (const e of m.exports) {
      const key = `${e.namespace}/${e.interface}`;
      exporters.set(key, [...(exporters.get(key) ?? []), m.package.name]);
    }
  }
  const duplicateExports = [...exporters.entries()]
    .filter(([, c]) => c.length > 1)
    .map(([iface, capsules]) => ({ iface, capsules }))
    .sort((a, b) => (a.iface < b.iface ? -1 : 1));

  const nodes = manifests.filter((m) => !unsatisfied.has(m.package.name));
  const inDegree = new Map<CapsuleId, number>(nodes.map((m) => [m.package.name, 0]));
  const consumers = new Map<CapsuleId, CapsuleId[]>(nodes.map((m) => [m.package.name, []]));
  for (const consumer of nodes) {
    for (const imp of consumer.imports) {
      for (const provider of nodes) {
        if (provider === consumer || !provides(provider, imp)) continue;
        consumers.get(provider.package.name)?.push(consumer.package.name);
        inDegree.set(consumer.package.name, (inDegree.get(consumer.package.name) ?? 0) + 1);
      }
    }
  }
  const queue = nodes.filter((m) => inDegree.get(m.package.name) === 0).map((m) => m.package.name);
  const order: CapsuleId[] = [];
  while (queue.length > 0) {
    const id = queue.shift() as CapsuleId;
    order.push(id);
    for (const c of consumers.get(id) ?? []) {
      const left = (inDegree.get(c) ?? 0) - 1;
      inDegree.set(c, left);
      if (left === 0) queue.push(c);
    }
  }
  if (order.length < nodes.length) {
    const cycle = nodes.map((m) => m.package.name).filter((id) => (inDegree.get(id) ?? 0) > 0);
    return {
      order: nodes.map((m) => m.package.name),
      unsatisfied,
      cycle,
      duplicateExports,
      unmetOptional,
    };
  }
  return { order, unsatisfied, cycle: null, duplicateExports, unmetOptional };
}
