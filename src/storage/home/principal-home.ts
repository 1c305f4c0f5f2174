import { chmodSync, mkdirSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CapsuleId } from '../../core/ids/capsule-id.js';

/**
 * `.local/` subdirectories. The reference also made `kv/`, `audit/` and
 * `tokens/`; here KV, audit and tokens live in the state database, so those
 * directories would only ever be empty.
 */
const LOCAL_DIRS = ['capsules', 'log', 'tmp'] as const;

/** `home/<principal>/`: installed capsules, logs, tmp, and the principal's env files. */
export class PrincipalHome {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  get capsulesDir(): string {
    return join(this.root, '.local', 'capsules');
  }
  capsuleDir(id: CapsuleId): string {
    return join(this.capsulesDir, id);
  }
  get logDir(): string {
    return join(this.root, '.local', 'log');
  }
  get tmpDir(): string {
    return join(this.root, '.local', 'tmp');
  }
  get envDir(): string {
    return join(this.root, '.config', 'env');
  }
  envFile(capsule: CapsuleId): string {
    return join(this.envDir, `${capsule}.env.json`);
  }

  /** Creates `.local/{capsules,log,tmp}` and `.config/env`; root, `.local`, `.config` 0700. */
  async ensure(): Promise<void> {
    for (const dir of LOCAL_DIRS)
      await mkdir(join(this.root, '.local', dir), { recursive: true, mode: 0o700 });
    await mkdir(this.envDir, { recursive: true, mode: 0o700 });
    for (const dir of [this.root, join(this.root, '.local'), join(this.root, '.config')])
      await chmod(dir, 0o700);
  }

  /** `ensure()` without awaiting (for handlers that must run without yielding the event loop). */
  ensureSync(): void {
    for (const dir of LOCAL_DIRS)
      mkdirSync(join(this.root, '.local', dir), { recursive: true, mode: 0o700 });
    mkdirSync(this.envDir, { recursive: true, mode: 0o700 });
    for (const dir of [this.root, join(this.root, '.local'), join(this.root, '.config')])
      chmodSync(dir, 0o700);
  }
}
