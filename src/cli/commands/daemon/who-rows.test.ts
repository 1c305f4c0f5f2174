import { describe, expect, it } from 'vitest';
import { parseDaemonStatus } from './daemon-status.js';
import { whoRows } from './who-rows.js';

const base = {
  pid: 1,
  uptime_secs: 0,
  version: '0.8.0',
  ephemeral: false,
  connected_clients: 3,
  loaded_capsules: [],
};

describe('whoRows', () => {
  it('gives one row per principal, sorted, with its connection count', () => {
    const status = parseDaemonStatus({
      ...base,
      connections_by_principal: [
        { principal: 'zed', count: 1 },
        { principal: 'alice', count: 2 },
      ],
    });
    expect(whoRows(status)).toEqual([
      { agent: 'alice', platform: 'cli', state: 'active', connections: 2 },
      { agent: 'zed', platform: 'cli', state: 'active', connections: 1 },
    ]);
  });

  it('attributes unbroken-down connections to default, and none to nobody', () => {
    expect(whoRows(parseDaemonStatus(base))).toEqual([
      { agent: 'default', platform: 'cli', state: 'active', connections: 3 },
    ]);
    expect(whoRows(parseDaemonStatus({ ...base, connected_clients: 0 }))).toEqual([]);
  });
});
