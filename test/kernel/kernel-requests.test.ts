import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipcEvent } from '../../src/events/astrid-event.js';
import { ipcMessage } from '../../src/events/ipc-message.js';
import { rawJson, rawJsonBody } from '../../src/events/ipc-payload.js';
import { bootKernel, type KernelHarness } from '../helpers/kernel-harness.js';

let h: KernelHarness;
const shutdowns: string[] = [];

beforeAll(async () => {
  h = await bootKernel();
  const listen = () =>
    h.kernel.onShutdownRequested((r) => {
      shutdowns.push(r);
      listen();
    });
  listen();
  await h.client().admin('AgentCreate', { name: 'agent1' });
});
afterAll(async () => {
  await h.close();
});

describe('kernel requests', () => {
  it('GetStatus needs system:status and reports the daemon', async () => {
    const out = await h.client().kernel('GetStatus');
    expect(out.data).toMatchObject({
      pid: process.pid,
      version: '0.8.0',
      ephemeral: false,
      loaded_capsules: [],
    });
    await expect(h.client('agent1').kernel('GetStatus')).rejects.toMatchObject({
      code: 'capability-denied',
      message: 'permission denied for principal agent1: missing capability system:status',
    });
    const rows = [...h.kernel.state.audit.entries()].filter(
      (e) => e.action.type === 'admin_request' && e.action.method === 'GetStatus',
    );
    expect(rows.map((r) => [r.principal, r.outcome.status])).toEqual([
      ['default', 'success'],
      ['agent1', 'failure'],
    ]);
  });

  it('Shutdown is rate limited to 1/min and the limit is answered on the response topic', async () => {
    expect(await h.client().kernel('Shutdown', { reason: 'maintenance' })).toEqual({
      status: 'Success',
      data: { status: 'shutting_down' },
    });
    expect(shutdowns).toEqual(['maintenance']);
    await expect(h.client().kernel('Shutdown')).rejects.toMatchObject({
      code: 'rate-limited',
      message: 'Rate limited: max 1 Shutdown requests per minute',
    });
    expect(shutdowns).toEqual(['maintenance']);
  });

  it('an unknown method and a malformed body get an error answer instead of silence', async () => {
    const out = h.kernel.bus.subscribeRouted({
      capsuleUuid: 'probe',
      pattern: 'astrid.v1.response.*',
      capsuleLabel: 'probe',
    });
    h.kernel.bus.publish(
      ipcEvent(
        ipcMessage({
          topic: 'astrid.v1.request.zap',
          payload: rawJson({ method: 'Zap' }),
          principal: 'default',
        }),
      ),
    );
    expect(rawJsonBody((await out.recv(5000))?.payload ?? { type: 'unknown' })).toMatchObject({
      status: 'Error',
      code: 'invalid-input',
      data: expect.stringMatching(
        /unknown kernel request method "Zap" \(known: AuditQuery, AuditVerify, GetCapsuleContext, GetCapsuleMetadata, GetCommands, GetStatus, InstallCapsule, ListCapsules, ListUplinks, ReloadCapsules, RemoveCapsule, Shutdown, WorkspaceCommit, WorkspaceDiff, WorkspaceDiscard\)/,
      ),
    });
    h.kernel.bus.publish(
      ipcEvent(
        ipcMessage({
          topic: 'astrid.v1.request.x',
          payload: rawJson({ nope: 1 }),
          principal: 'default',
        }),
      ),
    );
    expect(rawJsonBody((await out.recv(5000))?.payload ?? { type: 'unknown' })).toMatchObject({
      status: 'Error',
      code: 'invalid-input',
    });
    out.close();
  });
});
