import { type FSWatcher, watch } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Logger } from '../../core/logger.js';
import { isIgnoredPath, sourceHash } from './source-hash.js';

export const WATCH_DEBOUNCE_MS = 500;

/**
 * Watches capsule roots and reports a capsule directory whose contents
 * changed: events under ignored directories are dropped, each path is mapped
 * to the nearest directory holding a `Capsule.toml` (not above the root),
 * events are debounced per capsule (500 ms, each event restarts the wait),
 * and a change is reported only when the directory's source hash differs
 * from the last one seen.
 */
export class CapsuleWatcher {
  private readonly watchers: FSWatcher[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly hashes = new Map<string, string>();
  private readonly onChange: (dir: string) => void;
  private readonly logger: Logger;
  private readonly debounceMs: number;

  constructor(onChange: (dir: string) => void, logger: Logger, debounceMs = WATCH_DEBOUNCE_MS) {
    this.onChange = onChange;
    this.logger = logger;
    this.debounceMs = debounceMs;
  }

  /** Remembers a capsule's current hash (so loading it does not count as a change). */
  async remember(dir: string): Promise<void> {
    try {
      this.hashes.set(resolve(dir), await sourceHash(dir));
    } catch {
      // a directory that cannot be hashed now is hashed on its next event
    }
  }

  watch(root: string): void {
    let watcher: FSWatcher;
    try {
      watcher = watch(root, { recursive: true }, (_event, file) => {
        if (file === null) return;
        const path = join(root, file.toString());
        if (isIgnoredPath(relative(root, path))) return;
        void this.capsuleDirOf(root, path).then((dir) => {
          if (dir !== null) this.schedule(dir);
        });
      });
    } catch (e) {
      this.logger.warn({ root, err: (e as Error).message }, 'cannot watch capsule directory');
      return;
    }
    watcher.on('error', (e) => this.logger.warn({ root, err: e.message }, 'capsule watcher error'));
    this.watchers.push(watcher);
  }

  close(): void {
    for (const w of this.watchers.splice(0)) w.close();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private async capsuleDirOf(root: string, path: string): Promise<string | null> {
    const top = resolve(root);
    for (let dir = resolve(dirname(path)); dir.startsWith(top); dir = dirname(dir)) {
      try {
        await access(join(dir, 'Capsule.toml'));
        return dir;
      } catch {
        // keep walking up
      }
      if (dir === top) break;
    }
    try {
      await access(join(path, 'Capsule.toml'));
      return resolve(path);
    } catch {
      return null;
    }
  }

  private schedule(dir: string): void {
    clearTimeout(this.timers.get(dir));
    const timer = setTimeout(() => {
      this.timers.delete(dir);
      void this.check(dir);
    }, this.debounceMs);
    timer.unref();
    this.timers.set(dir, timer);
  }

  private async check(dir: string): Promise<void> {
    let hash: string;
    try {
      hash = await sourceHash(dir);
    } catch (e) {
      this.logger.debug(
        { dir, err: (e as Error).message },
        'capsule directory not hashable (removed?)',
      );
      return;
    }
    if (this.hashes.get(dir) === hash) return;
    this.hashes.set(dir, hash);
    this.onChange(dir);
  }
}
