/** Outcome of one `doctor` / `setup` check. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  /** Stable machine name (`home`, `runtime-key`, `bwrap-usable`, …). */
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** A command (or instruction) that fixes a failing check. */
  readonly fix?: string;
}

const TAG: Record<CheckStatus, string> = { ok: '[OK]', warn: '[WARN]', fail: '[FAIL]' };

/** `[OK] detail`, plus an indented `fix:` line when there is one. Pure. */
export function checkLines(check: Check): string[] {
  const lines = [`${TAG[check.status]} ${check.detail}`];
  if (check.fix !== undefined) lines.push(`       fix: ${check.fix}`);
  return lines;
}

/** Whether any check failed (the verbs then exit 1). Pure. */
export function anyFailed(checks: readonly Check[]): boolean {
  return checks.some((c) => c.status === 'fail');
}
