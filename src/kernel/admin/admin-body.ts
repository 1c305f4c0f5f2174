import type { Json } from '../../events/json.js';

/** Response body variants (`status`) of the admin API. */
export type AdminBodyStatus =
  | 'Success'
  | 'AgentList'
  | 'GroupList'
  | 'Quotas'
  | 'Usage'
  | 'Invite'
  | 'InviteRedeemed'
  | 'InviteList'
  | 'PairToken'
  | 'PairTokenRedeemed'
  | 'Error';

export interface AdminBody {
  readonly status: Exclude<AdminBodyStatus, 'Error'>;
  readonly data: Json;
}

/** The response payload: `{request_id?, status, data, code?}` (`code` only on errors). */
export interface AdminResponse {
  readonly request_id?: string;
  readonly status: AdminBodyStatus;
  readonly data: Json;
  readonly code?: string;
}
