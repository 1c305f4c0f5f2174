/**
 * The capability list `group modify` sends: the current list minus
 * `remove`, then `add` appended in order, without duplicates. Pure.
 */
export function nextCapabilities(
  current: readonly string[],
  add: readonly string[],
  remove: readonly string[],
): string[] {
  const next = current.filter((c) => !remove.includes(c));
  for (const c of add) if (!next.includes(c)) next.push(c);
  return next;
}

/** Items of `remove` that the current list does not hold (worth a warning). Pure. */
export function absentRemovals(current: readonly string[], remove: readonly string[]): string[] {
  return remove.filter((c) => !current.includes(c));
}

/**
 * The description field of GroupModify: absent keeps it, `""` clears it
 * (JSON null), any other text replaces it. Pure.
 */
export function descriptionChange(text: string | undefined): { description?: string | null } {
  if (text === undefined) return {};
  return { description: text.trim().length === 0 ? null : text };
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
