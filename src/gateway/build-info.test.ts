import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { gitSha } from './build-info.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('gitSha', () => {
  it('prefers ASTRID_GIT_SHA, cut to 12 characters', async () => {
    expect(gitSha({ ASTRID_GIT_SHA: SHA.toUpperCase() }, await tempDir())).toBe('0123456789ab');
  });

  it('reads a detached HEAD, a loose ref and a packed ref', async () => {
    const root = await tempDir();
    await mkdir(join(root, '.git', 'refs', 'heads'), { recursive: true });
    await writeFile(join(root, '.git', 'HEAD'), `${SHA}\n`);
    expect(gitSha({}, root)).toBe('0123456789ab');
    await writeFile(join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    await writeFile(join(root, '.git', 'refs', 'heads', 'main'), `${'f'.repeat(40)}\n`);
    expect(gitSha({}, root)).toBe('ffffffffffff');
    await writeFile(join(root, '.git', 'HEAD'), 'ref: refs/heads/other\n');
    await writeFile(
      join(root, '.git', 'packed-refs'),
      `# pack-refs\n${'e'.repeat(40)} refs/heads/other\n`,
    );
    expect(gitSha({}, root)).toBe('eeeeeeeeeeee');
  });

  it('is unknown outside a checkout or for a bad ref', async () => {
    const root = await tempDir();
    expect(gitSha({}, root)).toBe('unknown');
    await mkdir(join(root, '.git'));
    await writeFile(join(root, '.git', 'HEAD'), 'ref: refs/../../etc/passwd\n');
    expect(gitSha({}, root)).toBe('unknown');
  });
});
