import { describe, expect, it } from 'vitest';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import { silentLogger } from '../../core/logger.js';
import { ipcMessage } from '../../events/ipc-message.js';
import { rawJson } from '../../events/ipc-payload.js';
import { classifyConnectionMessage } from './connection-event.js';
import { ConnectionTracker } from './connection-tracker.js';

const p = (s: string) => s as PrincipalId;

describe('connection tracking', () => {
  it('classifies typed payloads before topics, and ignores unattributed messages', () => {
    const m = (
      topic: string,
      payload: Parameters<typeof ipcMessage>[0]['payload'],
      principal: string | null = 'alice',
    ) => classifyConnectionMessage(ipcMessage({ topic, payload, principal }));
    expect(m('client.v1.anything', { type: 'connect' })).toEqual({
      kind: 'opened',
      principal: 'alice',
    });
    expect(m('client.v1.connect', { type: 'disconnect', reason: 'bye' })).toEqual({
      kind: 'closed',
      principal: 'alice',
      reason: 'bye',
    });
    expect(m('client.v1.disconnect', rawJson({ reason: 'quit' }))).toEqual({
      kind: 'closed',
      principal: 'alice',
      reason: 'quit',
    });
    expect(m('client.v1.disconnect', { type: 'custom', data: 1 })).toEqual({
      kind: 'closed',
      principal: 'alice',
      reason: null,
    });
    expect(m('client.v1.connect', { type: 'custom', data: 1 })).toEqual({
      kind: 'opened',
      principal: 'alice',
    });
    expect(m('client.v1.other', { type: 'custom', data: 1 })).toBeNull();
    expect(m('client.v1.connect', { type: 'connect' }, null)).toBeNull();
    expect(m('client.v1.connect', { type: 'connect' }, 'bad name!')).toBeNull();
  });

  it('counts per principal, saturates at zero and fires on the last disconnect only', () => {
    const t = new ConnectionTracker(silentLogger);
    const cleared: string[] = [];
    t.onLastDisconnect((x) => cleared.push(x));
    t.apply({ kind: 'opened', principal: p('alice') });
    t.apply({ kind: 'opened', principal: p('alice') });
    t.apply({ kind: 'opened', principal: p('bob') });
    expect(t.total()).toBe(3);
    t.apply({ kind: 'closed', principal: p('alice'), reason: null });
    expect(cleared).toEqual([]);
    t.apply({ kind: 'closed', principal: p('alice'), reason: null });
    expect(cleared).toEqual(['alice']);
    t.apply({ kind: 'closed', principal: p('alice'), reason: null });
    expect(cleared).toEqual(['alice']);
    expect(t.byPrincipal()).toEqual([{ principal: 'bob', count: 1 }]);
    expect(t.opened).toBe(3);
  });
});
