import { SemVer } from 'semver';
import type { CapsuleManifest } from '../manifest/manifest.js';
import type { InstalledCapsule } from './installed-capsules.js';

export interface MissingImport {
  readonly namespace: string;
  readonly interface: string;
  readonly requirement: string;
}

export interface ExportConflict {
  /** `namespace/interface`. */
  readonly interface: string;
  readonly existingCapsule: string;
}

function exportedVersion(c: InstalledCapsule, ns: string, iface: string): string | undefined {
  return c.meta?.exports?.[ns]?.[iface];
}

/**
 * Advisory: each required import of the new capsule must be met by another
 * installed capsule's export whose version satisfies the requirement.
 */
export function findMissingImports(
  manifest: CapsuleManifest,
  installed: readonly InstalledCapsule[],
): MissingImport[] {
  const others = installed.filter((c) => c.id !== manifest.package.name);
  const missing: MissingImport[] = [];
  for (const imp of manifest.imports) {
    if (imp.optional) continue;
    const met = others.some((c) => {
      const version = exportedVersion(c, imp.namespace, imp.interface);
      if (version === undefined) return false;
      try {
        return imp.requirement.matches(new SemVer(version));
      } catch {
        return false;
      }
    });
    if (!met)
      missing.push({
        namespace: imp.namespace,
        interface: imp.interface,
        requirement: imp.requirement.source,
      });
  }
  return missing;
}

/** Advisory: interfaces the new capsule exports that another installed capsule also exports (any version). */
export function findExportConflicts(
  manifest: CapsuleManifest,
  installed: readonly InstalledCapsule[],
): ExportConflict[] {
  const conflicts: ExportConflict[] = [];
  for (const exp of manifest.exports) {
    for (const c of installed) {
      if (c.id === manifest.package.name) continue;
      if (exportedVersion(c, exp.namespace, exp.interface) !== undefined) {
        conflicts.push({ interface: `${exp.namespace}/${exp.interface}`, existingCapsule: c.id });
      }
    }
  }
  return conflicts;
}

/** Capsules (other than `target`) that import an interface only `target` exports. */
export function soleProviderDependents(
  target: InstalledCapsule,
  installed: readonly InstalledCapsule[],
): { interface: string; dependent: string }[] {
  const exported = target.meta?.exports ?? {};
  const out: { interface: string; dependent: string }[] = [];
  for (const [ns, ifaces] of Object.entries(exported)) {
    for (const iface of Object.keys(ifaces)) {
      const otherProvider = installed.some(
        (c) => c.id !== target.id && exportedVersion(c, ns, iface) !== undefined,
      );
      if (otherProvider) continue;
      for (const c of installed) {
        if (c.id === target.id) continue;
        if (c.meta?.imports?.[ns]?.[iface] !== undefined)
          out.push({ interface: `${ns}/${iface}`, dependent: c.id });
      }
    }
  }
  return out;
}
