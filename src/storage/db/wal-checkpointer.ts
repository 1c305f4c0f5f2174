import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../core/logger.js';
import type { SqliteDatabase } from './state-database.js';

export interface CheckpointerOptions {
  /** How often the worker checkpoints once running. */
  readonly intervalMs?: number;
  /** The worker starts when the WAL file first reaches this size. */
  readonly startAtBytes?: number;
  /** How often the WAL size is looked at until then. */
  readonly probeMs?: number;
}

export const CHECKPOINT_INTERVAL_MS = 200;
export const CHECKPOINT_START_BYTES = 1024 * 1024;
export const CHECKPOINT_PROBE_MS = 1000;
/** SQLite's own default, restored if the worker goes away. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/**
 * The worker's program: its own connection to the database, a passive
 * checkpoint every interval (it never blocks the writer), and a message to
 * the owner when frames were copied. Plain CommonJS evaluated in the worker;
 * the SQLite driver is loaded from the path the owner resolved.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r.checkpointed > 0) parentPort.postMessage({ type: 'checkpointed', frames: r.checkpointed });
  } catch (e) {
    parentPort.postMessage({ type: 'failed', message: e.message });
  }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ type: 'ready' });
`;

/**
 * Moves WAL checkpoints off the event loop. SQLite checkpoints
 * automatically inside whichever commit crosses 1,000 WAL pages, copying
 * megabytes and syncing files while that commit — and the whole daemon —
 * waits. Once the WAL shows real write traffic (it reaches `startAtBytes`),
 * a worker thread with its own connection checkpoints passively every
 * interval and the kernel's connection stops checkpointing itself. If the
 * worker fails, automatic checkpoints are switched back on.
 */
export class WalCheckpointer {
  private readonly db: SqliteDatabase;
  private readonly path: string;
  private readonly logger: Logger;
  private readonly intervalMs: number;
  private readonly startAtBytes: number;
  private probe: NodeJS.Timeout | null = null;
  private worker: Worker | null = null;
  private stopped = false;
  /** Frames the worker has copied into the database file. */
  framesCheckpointed = 0;

  constructor(db: SqliteDatabase, path: string, logger: Logger, options: CheckpointerOptions = {}) {
    this.db = db;
    this.path = path;
    this.logger = logger;
    this.intervalMs = options.intervalMs ?? CHECKPOINT_INTERVAL_MS;
    this.startAtBytes = options.startAtBytes ?? CHECKPOINT_START_BYTES;
    this.probe = setInterval(() => this.look(), options.probeMs ?? CHECKPOINT_PROBE_MS);
    this.probe.unref();
  }

  /** Whether the worker is checkpointing (and the connection's own checkpoints are off). */
  get active(): boolean {
    return this.worker !== null;
  }

  /** Stops the worker (its connection closes cleanly) and restores automatic checkpoints. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearProbe();
    const worker = this.worker;
    if (worker === null) return;
    this.worker = null;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    // Held while it finishes, so a process with nothing else left waits for it.
    worker.ref();
    worker.postMessage('stop');
    await exited;
    this.restoreAutocheckpoint();
  }

  private look(): void {
    let size = 0;
    try {
      size = statSync(`${this.path}-wal`).size;
    } catch {
      return;
    }
    if (size >= this.startAtBytes) this.start();
  }

  private start(): void {
    this.clearProbe();
    if (this.stopped || this.worker !== null) return;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        path: this.path,
        intervalMs: this.intervalMs,
      },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    this.worker = worker;
    worker.on('message', (m: { type: string; frames?: number; message?: string }) => {
      if (m.type === 'ready' && this.worker === worker && this.db.open) {
        this.db.pragma('wal_autocheckpoint = 0');
        this.logger.debug({ interval_ms: this.intervalMs }, 'WAL checkpoints moved to a worker');
      } else if (m.type === 'checkpointed') {
        this.framesCheckpointed += m.frames ?? 0;
      } else if (m.type === 'failed') {
        this.logger.warn({ err: m.message }, 'background WAL checkpoint failed');
      }
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.restoreAutocheckpoint();
      this.logger.error(
        { err: why },
        'WAL checkpoint worker stopped; SQLite checkpoints itself again',
      );
    };
    worker.on('error', (e) => lost(e.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
  }

  private restoreAutocheckpoint(): void {
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  }

  private clearProbe(): void {
    if (this.probe !== null) clearInterval(this.probe);
    this.probe = null;
  }
}
