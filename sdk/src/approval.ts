/// <reference path="./wit/astrid-approval-host.d.ts" />
import * as wit from 'astrid:approval/host@1.0.0';
import { host } from './errors.js';

const IFACE = 'astrid:approval/host';

/**
 * What the human decided: `approved` (this once), `approved-session`,
 * `approved-always`, `allowance` (a standing allowance answered without
 * asking) or `denied`.
 */
export type Decision = wit.ApprovalDecision;

export interface ApprovalRequest {
  /** What the capsule wants to do (at most 256 characters), e.g. `run`. */
  readonly action: string;
  /** What it acts on (cut to 1,024 characters), e.g. the command line. */
  readonly resource: string;
}

/**
 * Asks the invoking principal to approve `action` on `resource` and waits
 * (at most 60 s) for the answer. An unanswered request throws `HostError`
 * `timeout`; a bad request `invalid-input`.
 */
export function request(req: ApprovalRequest): Decision {
  return host(IFACE, () =>
    wit.requestApproval({ action: req.action, targetResource: req.resource }),
  ).decision;
}

/** Whether a decision lets the capsule go ahead. */
export function isApproved(decision: Decision): boolean {
  return decision !== 'denied';
}

/** Asks as `request` does and answers whether the capsule may go ahead. */
export function allowed(req: ApprovalRequest): boolean {
  return isApproved(request(req));
}
