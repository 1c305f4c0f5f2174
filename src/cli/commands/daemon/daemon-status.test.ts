import { describe, expect, it } from 'vitest';
import { parseDaemonStatus, statusLines } from './daemon-status.js';

const answer = {
  pid: 4242,
  uptime_secs: 3723,
  version: '0.8.0',
  ephemeral: false,
  connected_clients: 2,
  connections_by_principal: [
    { principal: 'default', count: 1 },
    { principal: 'alice', count: 1 },
  ],
  loaded_capsules: ['zeta', 'alpha'],
};

describe('parseDaemonStatus', () => {
  it('reads every field of a GetStatus answer', () => {
    expect(parseDaemonStatus(answer)).toEqual(answer);
  });

  it('leaves connections_by_principal out when the daemon omits it', () => {
    const { connections_by_principal: _, ...rest } = answer;
    expect(parseDaemonStatus(rest)).not.toHaveProperty('connections_by_principal');
  });

  it('rejects malformed answers with the field named', () => {
    expect(() => parseDaemonStatus([])).toThrow(/malformed status answer \(not an object\)/);
    expect(() => parseDaemonStatus({ ...answer, pid: 'x' })).toThrow(/\(pid\)/);
    expect(() => parseDaemonStatus({ ...answer, loaded_capsules: [1] })).toThrow(/loaded_capsules/);
    expect(() =>
      parseDaemonStatus({ ...answer, connections_by_principal: [{ count: 1 }] }),
    ).toThrow(/connections_by_principal/);
  });
});

describe('statusLines', () => {
  it('prints the headline with uptime, then version, clients and sorted capsules', () => {
    expect(statusLines(parseDaemonStatus(answer))).toEqual({
      headline: 'Astrid daemon (PID 4242, uptime 1h02m03s)',
      details: [
        '  Version:  0.8.0',
        '  Clients:  2',
        '  Capsules: 2 loaded',
        '    - alpha',
        '    - zeta',
      ],
    });
  });

  it('marks an ephemeral daemon', () => {
    const lines = statusLines(
      parseDaemonStatus({ ...answer, ephemeral: true, loaded_capsules: [] }),
    );
    expect(lines.details).toEqual([
      '  Version:  0.8.0 (ephemeral)',
      '  Clients:  2',
      '  Capsules: 0 loaded',
    ]);
  });
});
