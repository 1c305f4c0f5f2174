import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import { recordingLogger } from '../../core/logger.js';
import { ipcEvent } from '../../events/astrid-event.js';
import { AUDIT_TOPIC } from '../../events/audit-topic.js';
import { EventBus } from '../../events/event-bus.js';
import { ipcMessage } from '../../events/ipc-message.js';
import { rawJson } from '../../events/ipc-payload.js';
import type { JsonObject } from '../../events/json.js';
import { RevocationStore } from './revocation-store.js';
import { RevocationWatcher } from './revocation-watcher.js';

const audit = (entry: JsonObject) =>
  ipcEvent(ipcMessage({ topic: AUDIT_TOPIC, payload: rawJson(entry) }), 'test');

const deleted = (target: string, ts: number, outcome = 'success'): JsonObject => ({
  ts_epoch: ts,
  method: 'admin.agent.delete',
  required_capability: 'agent:delete',
  principal: 'default',
  target_principal: target,
  params: { principal: target },
  outcome,
});

describe('RevocationWatcher', () => {
  it('applies buffered deletions synchronously on sync(), and in the background', async () => {
    const bus = new EventBus();
    const store = await RevocationStore.load(await tempDir(), recordingLogger());
    const watcher = new RevocationWatcher(bus, store, recordingLogger(), () => 1);
    bus.publish(audit(deleted('alice', 100)));
    bus.publish(audit(deleted('bob', 100, 'failure')));
    watcher.sync();
    expect(store.revokedAt('alice' as PrincipalId)).toBe(100);
    expect(store.revokedAt('bob' as PrincipalId)).toBeUndefined();
    bus.publish(audit(deleted('carol', 200)));
    await new Promise((r) => setTimeout(r, 10));
    expect(store.revokedAt('carol' as PrincipalId)).toBe(200);
    await watcher.stop();
    await store.flush();
    bus.close();
  });
});
