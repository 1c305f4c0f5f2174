import { AstridError } from '../../../core/errors.js';
import type { Json } from '../../../events/json.js';

/** What an install reports (the kernel's snake_case answer, or the local install's same JSON). */
export interface InstallResult {
  readonly capsule: string;
  readonly target_dir: string;
  readonly phase: 'install' | 'upgrade';
  readonly installed_version: string;
  readonly previous_version: string | null;
  readonly wasm_hash: string | null;
  readonly env_path: string;
  readonly missing_imports: readonly {
    readonly namespace: string;
    readonly interface: string;
    readonly requirement: string;
  }[];
  readonly export_conflicts: readonly {
    readonly interface: string;
    readonly existing_capsule: string;
  }[];
}

const str = (v: unknown): v is string => typeof v === 'string';

/** Reads an install answer, refusing one that lacks the fields the report needs. Pure. */
export function parseInstallResult(data: Json | Record<string, unknown>): InstallResult {
  const o = (
    typeof data === 'object' && data !== null && !Array.isArray(data) ? data : {}
  ) as Record<string, unknown>;
  if (!str(o.capsule) || !str(o.installed_version) || !str(o.target_dir)) {
    throw new AstridError('internal', `unexpected install answer: ${JSON.stringify(data)}`);
  }
  const list = (v: unknown) => (Array.isArray(v) ? v : []) as Record<string, unknown>[];
  return {
    capsule: o.capsule,
    target_dir: o.target_dir,
    phase: o.phase === 'upgrade' ? 'upgrade' : 'install',
    installed_version: o.installed_version,
    previous_version: str(o.previous_version) ? o.previous_version : null,
    wasm_hash: str(o.wasm_hash) ? o.wasm_hash : null,
    env_path: str(o.env_path) ? o.env_path : '',
    missing_imports: list(o.missing_imports).map((m) => ({
      namespace: String(m.namespace),
      interface: String(m.interface),
      requirement: String(m.requirement),
    })),
    export_conflicts: list(o.export_conflicts).map((c) => ({
      interface: String(c.interface),
      existing_capsule: String(c.existing_capsule ?? c.existingCapsule),
    })),
  };
}

export interface InstallMessages {
  readonly ok: string;
  readonly info: readonly string[];
  readonly warn: readonly string[];
}

/** The lines a successful install prints. `via` says whether the daemon made it live. Pure. */
export function installMessages(r: InstallResult, via: 'daemon' | 'local'): InstallMessages {
  const ok =
    r.phase === 'upgrade'
      ? `Upgraded ${r.capsule} ${r.previous_version ?? '?'} → ${r.installed_version}`
      : `Installed ${r.capsule} ${r.installed_version}`;
  const info = [
    `installed in ${r.target_dir}`,
    via === 'daemon'
      ? `${r.capsule} is loaded in the running daemon`
      : `the daemon is not running; ${r.capsule} loads when it starts (astrid start)`,
  ];
  const warn = [
    ...r.missing_imports.map(
      (m) =>
        `${r.capsule} imports ${m.namespace}/${m.interface} ${m.requirement}, which no installed capsule exports`,
    ),
    ...r.export_conflicts.map(
      (c) =>
        `${r.capsule} exports ${c.interface}, which ${c.existing_capsule} also exports (events may be handled twice)`,
    ),
  ];
  return { ok, info, warn };
}
