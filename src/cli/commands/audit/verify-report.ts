/** What `AuditVerify` answers. */
export interface AuditVerifyResult {
  readonly valid: boolean;
  readonly entries: number;
  readonly chains: number;
  readonly issues: readonly AuditVerifyIssue[];
}

export interface AuditVerifyIssue {
  readonly kind: string;
  readonly seq: number | null;
  readonly id: string | null;
  readonly chain: string;
  readonly message: string;
}

/** The kernel reports at most this many issues. */
export const MAX_REPORTED_ISSUES = 100;

const issues = (n: number) => `${n} issue${n === 1 ? '' : 's'}`;
const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;

/**
 * The text of a verification: one success line, or a summary and one line
 * per issue (kind, which entry, what is wrong). Pure.
 */
export function verifyReport(v: AuditVerifyResult): { ok: string | null; errors: string[] } {
  if (v.valid) return { ok: `audit chain verified (${entries(v.entries)})`, errors: [] };
  const count = v.issues.length;
  const more = count >= MAX_REPORTED_ISSUES ? ` (showing the first ${MAX_REPORTED_ISSUES})` : '';
  return {
    ok: null,
    errors: [
      `audit chain verification FAILED: ${issues(count)} in ${entries(v.entries)}${more}`,
      ...v.issues.map((i) => {
        const where =
          i.id === null
            ? `chain ${i.chain}`
            : `entry ${i.id}${i.seq === null ? '' : ` (#${i.seq})`}`;
        return `${i.kind} ${where}: ${i.message}`;
      }),
    ],
  };
}
