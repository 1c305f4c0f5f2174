import { join } from 'node:path';
import type { AstridHome } from '../storage/home/astrid-home.js';

/** Where the daemon's run-time files live. */
export function runFiles(home: AstridHome) {
  return {
    lock: join(home.runDir, 'system.lock'),
    socket: join(home.runDir, 'system.sock'),
    token: join(home.runDir, 'system.token'),
    ready: join(home.runDir, 'system.ready'),
  };
}
