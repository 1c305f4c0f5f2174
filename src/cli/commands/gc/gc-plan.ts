import type { CapsuleMeta } from '../../../capsule/install/capsule-meta.js';

/**
 * Blobs younger than this are never collected: an install stores its blobs
 * before it writes meta.json, and a lifecycle hook in between may run for
 * ten minutes.
 */
export const GC_GRACE_MS = 15 * 60 * 1000;

export type BlobKind = 'wasm' | 'wit' | 'artifacts' | 'temp';

/** A content-store entry: `bin/<hash>.wasm`, `wit/<hash>.wit`, `lib/<hash>/`, or a left-over temp. */
export interface StoreEntry {
  readonly kind: BlobKind;
  readonly path: string;
  /** The content hash (null for temps). */
  readonly hash: string | null;
  readonly bytes: number;
  readonly mtimeMs: number;
}

/** An installed capsule directory and its meta.json (null = missing or unreadable). */
export interface InstalledRef {
  readonly dir: string;
  readonly meta: CapsuleMeta | null;
}

export interface GcPlan {
  /** Collectable entries, sorted by path. */
  readonly orphans: readonly StoreEntry[];
  readonly totalBytes: number;
  /** Unreferenced, but too recent to collect. */
  readonly recent: readonly StoreEntry[];
  /** Entries some installed capsule references. */
  readonly referenced: number;
  /** Capsule directories whose references cannot be read (collection must not proceed). */
  readonly unreadable: readonly string[];
}

/**
 * Decides what `astrid gc` may delete: a component, WIT file or build
 * artifact no installed capsule's meta.json references (artifacts belong to
 * their component's hash), or a temp file an interrupted write left, once
 * older than the grace period. Pure.
 */
export function planGc(
  entries: readonly StoreEntry[],
  installed: readonly InstalledRef[],
  nowMs: number,
  graceMs: number = GC_GRACE_MS,
): GcPlan {
  const wasm = new Set<string>();
  const wit = new Set<string>();
  const unreadable: string[] = [];
  for (const c of installed) {
    if (c.meta === null) {
      unreadable.push(c.dir);
      continue;
    }
    if (c.meta.wasm_hash !== undefined) wasm.add(c.meta.wasm_hash);
    for (const h of Object.values(c.meta.wit_files ?? {})) wit.add(h);
  }
  const isReferenced = (e: StoreEntry) =>
    e.hash !== null &&
    (e.kind === 'wasm' || e.kind === 'artifacts'
      ? wasm.has(e.hash)
      : e.kind === 'wit' && wit.has(e.hash));
  const orphans: StoreEntry[] = [];
  const recent: StoreEntry[] = [];
  let referenced = 0;
  for (const e of entries) {
    if (isReferenced(e)) referenced++;
    else if (nowMs - e.mtimeMs < graceMs) recent.push(e);
    else orphans.push(e);
  }
  orphans.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    orphans,
    totalBytes: orphans.reduce((n, e) => n + e.bytes, 0),
    recent,
    referenced,
    unreadable: unreadable.sort(),
  };
}
