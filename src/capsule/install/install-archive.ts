import { rm } from 'node:fs/promises';
import type { AstridHome } from '../../storage/home/astrid-home.js';
import {
  type ArchiveLimits,
  DEFAULT_ARCHIVE_LIMITS,
  unpackCapsuleArchive,
} from './capsule-archive.js';
import {
  type InstallOptions,
  type InstallOutput,
  installFromDirectory,
} from './install-capsule.js';

/** Installs a `.capsule` archive: validate and extract into a temp dir, install from there, clean up. */
export async function installFromArchive(
  archive: string,
  home: AstridHome,
  options: InstallOptions = {},
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<InstallOutput> {
  const dir = await unpackCapsuleArchive(archive, limits);
  try {
    return await installFromDirectory(dir, home, options);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
