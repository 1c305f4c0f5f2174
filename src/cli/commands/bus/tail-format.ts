import type { IpcMessage } from '../../../events/ipc-message.js';
import { guestJsonValue } from '../../../events/ipc-payload.js';
import type { Json } from '../../../events/json.js';
import { type OutputFormat, renderStructured } from '../../render/structured.js';

/** A tailed message as data (the `--format json` line). */
export interface TailRecord {
  readonly timestamp: string;
  readonly topic: string;
  readonly principal: string | null;
  readonly source_id: string;
  readonly seq: number;
  readonly payload: Json;
}

export function tailRecord(m: IpcMessage): TailRecord {
  return {
    timestamp: new Date(m.timestampMs).toISOString(),
    topic: m.topic,
    principal: m.principal,
    source_id: m.sourceId,
    seq: m.seq,
    payload: guestJsonValue(m.payload),
  };
}

/**
 * One tailed message as text: pretty `<time> <topic> <principal> <payload>`
 * (`-` for a system message), JSON as one compact object per line (NDJSON),
 * YAML as one document per message, TOML as one `[[message]]` table. Pure.
 */
export function formatTailed(record: TailRecord, format: OutputFormat): string {
  switch (format) {
    case 'pretty':
      return `${record.timestamp} ${record.topic} ${record.principal ?? '-'} ${JSON.stringify(record.payload)}\n`;
    case 'json':
      return `${JSON.stringify(record)}\n`;
    case 'yaml':
      return `---\n${renderStructured(record, 'yaml')}`;
    case 'toml':
      return renderStructured({ message: [record] }, 'toml');
  }
}
