/** The live audit feed: one flat event per audited request (see the kernel's request auditor). */
export const AUDIT_TOPIC = 'astrid.v1.audit.entry';
