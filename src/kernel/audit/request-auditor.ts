import type { PrincipalId } from '../../core/ids/principal-id.js';
import type { Logger } from '../../core/logger.js';
import { ipcEvent } from '../../events/astrid-event.js';
import { AUDIT_TOPIC } from '../../events/audit-topic.js';
import type { BusTransport } from '../../events/bus-transport.js';
import { ipcMessage, SYSTEM_SESSION_UUID } from '../../events/ipc-message.js';
import { rawJson } from '../../events/ipc-payload.js';
import type { JsonObject } from '../../events/json.js';
import type { AuthorizationProof } from '../../storage/audit/audit-entry.js';
import { adminView } from '../../storage/audit/audit-entry.js';
import type { AuditLog, UnsignedAuditEntry } from '../../storage/audit/audit-log.js';

export interface RequestAuditInput {
  /** Null when the request could not be attributed (no or malformed principal). */
  readonly caller: PrincipalId | null;
  /** `admin.agent.create`, `GetStatus`, … */
  readonly method: string;
  readonly requiredCapability: string;
  readonly targetPrincipal: string | null;
  readonly params: JsonObject | null;
  readonly authorization: AuthorizationProof;
  readonly error: string | null;
}

/**
 * Writes the audit row of a kernel or admin request and publishes its flat
 * view on `astrid.v1.audit.entry`. `durable` rows are written now, inside the
 * caller's transaction when there is one — an append that fails there throws
 * and takes the state change down with it (no unaudited mutation). Other rows
 * go out with the next batch.
 */
export class RequestAuditor {
  private readonly log: AuditLog;
  private readonly bus: BusTransport;
  private readonly logger: Logger;

  constructor(log: AuditLog, bus: BusTransport, logger: Logger) {
    this.log = log;
    this.bus = bus;
    this.logger = logger;
  }

  record(input: RequestAuditInput, durable: boolean): UnsignedAuditEntry {
    const record = {
      principal: input.caller,
      action: {
        type: 'admin_request' as const,
        method: input.method,
        required_capability: input.requiredCapability,
        target_principal: input.targetPrincipal,
        params: input.params,
      },
      authorization: input.authorization,
      outcome:
        input.error === null
          ? ({ status: 'success', details: null } as const)
          : ({ status: 'failure', error: input.error } as const),
    };
    return durable ? this.log.append(record) : this.log.appendDeferred(record);
  }

  /** `record` for paths that must answer even when the audit store is failing (denials, errors). */
  recordOrLog(input: RequestAuditInput, durable: boolean): UnsignedAuditEntry | null {
    try {
      return this.record(input, durable);
    } catch (e) {
      this.logger.error(
        { err: (e as Error).message, method: input.method },
        'could not write an audit row',
      );
      return null;
    }
  }

  /** Publishes the live event for a written row (call after its transaction committed). */
  publish(entry: UnsignedAuditEntry): void {
    const view = adminView(entry);
    if (view === null) return;
    this.bus.publish(
      ipcEvent(
        ipcMessage({
          topic: AUDIT_TOPIC,
          payload: rawJson(view as unknown as JsonObject),
          sourceId: SYSTEM_SESSION_UUID,
          principal: view.principal,
        }),
        'kernel_router::audit',
      ),
    );
  }
}
