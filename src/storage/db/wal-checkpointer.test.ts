import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { recordingLogger } from '../../core/logger.js';
import { StateDatabase } from './state-database.js';
import { WalCheckpointer } from './wal-checkpointer.js';

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('WalCheckpointer', () => {
  it('takes over checkpoints once the WAL grows, and hands them back when stopped', async () => {
    const db = StateDatabase.open(join(await tempDir(), 'a.db'));
    const autocheckpoint = () => db.db.pragma('wal_autocheckpoint', { simple: true });
    const checkpointer = new WalCheckpointer(db.db, db.path, recordingLogger(), {
      startAtBytes: 64 * 1024,
      probeMs: 10,
      intervalMs: 10,
    });
    try {
      expect(checkpointer.active).toBe(false);
      const insert = db.db.prepare("INSERT INTO kv (ns, key, value) VALUES ('n', ?, ?)");
      for (let i = 0; i < 100; i++) insert.run(Buffer.from(`k${i}`), Buffer.alloc(4096, i));
      await until(() => checkpointer.active && autocheckpoint() === 0);
      for (let i = 100; i < 200; i++) insert.run(Buffer.from(`k${i}`), Buffer.alloc(4096, i));
      await until(() => checkpointer.framesCheckpointed > 0);
      await checkpointer.stop();
      expect(checkpointer.active).toBe(false);
      expect(autocheckpoint()).toBe(1000);
      expect(db.db.prepare('SELECT COUNT(*) AS n FROM kv').get()).toEqual({ n: 200 });
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });

  it('leaves SQLite checkpointing itself when the worker cannot run', async () => {
    const dir = await tempDir();
    const db = StateDatabase.open(join(dir, 'a.db'));
    const logs = recordingLogger();
    // A WAL that looks busy next to a database file that is not there.
    const missing = join(dir, 'missing.db');
    writeFileSync(`${missing}-wal`, Buffer.alloc(1024));
    const checkpointer = new WalCheckpointer(db.db, missing, logs, {
      startAtBytes: 1,
      probeMs: 10,
    });
    try {
      await until(() => logs.lines.some((l) => /checkpoint worker stopped/.test(l.message ?? '')));
      expect(checkpointer.active).toBe(false);
      expect(db.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });
});

describe('worker shutdown', () => {
  it('stopping the checkpoint and signing workers finishes even when nothing else keeps the process alive', () => {
    const script = fileURLToPath(
      new URL('../../../test/fixtures/worker-exit/main.ts', import.meta.url),
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('stopped\n');
    expect(r.status).toBe(0);
  });
});
