import type { Json } from '../../../events/json.js';

/** One pending change in a capsule's workspace overlay (the kernel's row). */
export interface Change {
  readonly path: string;
  readonly kind: 'added' | 'modified' | 'deleted';
  readonly type: 'file' | 'directory' | 'symlink';
}

const KINDS = new Set(['added', 'modified', 'deleted']);
const TYPES = new Set(['file', 'directory', 'symlink']);

/** Reads the kernel's change rows, skipping anything malformed. Pure. */
export function parseChanges(raw: Json | undefined): Change[] {
  if (!Array.isArray(raw)) return [];
  const out: Change[] = [];
  for (const r of raw) {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) continue;
    const { path, kind, type } = r as Record<string, unknown>;
    if (typeof path !== 'string' || !KINDS.has(String(kind)) || !TYPES.has(String(type))) continue;
    out.push({ path, kind: kind as Change['kind'], type: type as Change['type'] });
  }
  return out;
}

/** `  A  notes/new.txt`, `  M  README.md`, `  D  old/` (directories end in `/`). Pure. */
export function changeLines(changes: readonly Change[]): string[] {
  const letter = { added: 'A', modified: 'M', deleted: 'D' } as const;
  return changes.map(
    (c) =>
      `  ${letter[c.kind]}  ${c.path}${c.type === 'directory' ? '/' : c.type === 'symlink' ? ' (symlink)' : ''}`,
  );
}

/** "1 change" / "3 changes". Pure. */
export function countChanges(n: number): string {
  return `${n} change${n === 1 ? '' : 's'}`;
}
