import { randomBytes } from 'node:crypto';
import { chmod, link, lstat, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AstridError } from '../../core/errors.js';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import { publicKeyFingerprint } from '../../kernel/admin/audit-redaction.js';
import { tempSibling, writeFileAtomic } from '../../storage/files/atomic-write.js';
import type { AstridHome } from '../../storage/home/astrid-home.js';
import { privateKeyFromSeed, rawPublicKey } from '../../storage/keys/ed25519.js';
import {
  KEY_BACKEND_FILE,
  KEY_META_SCHEMA_VERSION,
  type KeyMeta,
  parseKeyMeta,
  renderKeyMeta,
} from './key-meta.js';
import { checkKeyName } from './key-name.js';

const SEED_SUFFIX = '.ed25519';
const PUB_SUFFIX = '.pub.hex';
const META_SUFFIX = '.meta.toml';
const SECRET_MODE = 0o600;
const PUBLIC_MODE = 0o644;
const DIR_MODE = 0o700;

export interface KeyPaths {
  readonly seed: string;
  readonly pub: string;
  readonly meta: string;
}

/** A keypair as the store holds it (the private seed is never part of it). */
export interface StoredKey {
  readonly name: string;
  /** 64 lowercase hex characters. */
  readonly publicKeyHex: string;
  readonly meta: KeyMeta;
  readonly paths: KeyPaths;
}

export interface GenerateOptions {
  readonly name: string;
  readonly note?: string | null;
  /** Replace an existing keypair of that name. */
  readonly force?: boolean;
  readonly now?: () => Date;
  /** The 32-byte seed (tests); random by default. */
  readonly seed?: Uint8Array;
}

export interface KeyListing {
  readonly keys: readonly StoredKey[];
  /** Keypairs that could not be read, with the reason. */
  readonly problems: readonly { readonly name: string; readonly error: AstridError }[];
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

/** Hex of the ed25519 public key derived from a 32-byte seed. */
export function publicHexFromSeed(seed: Uint8Array): string {
  return Buffer.from(rawPublicKey(privateKeyFromSeed(seed))).toString('hex');
}

/** Writes `data` to a fresh temp sibling of `path` (fsynced, exact mode) and returns the temp path. */
async function stage(path: string, data: string | Uint8Array, mode: number): Promise<string> {
  const temp = tempSibling(path);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.chmod(mode);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw e;
  }
  await handle.close();
  return temp;
}

/**
 * The CLI's local keypair store, `keys/local/` (0700): per key a raw 32-byte
 * seed `<name>.ed25519` (0600), `<name>.pub.hex` (0644) and
 * `<name>.meta.toml` (0600). A key exists when its seed file does.
 */
export class KeypairStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  static forHome(home: AstridHome): KeypairStore {
    return new KeypairStore(home.path('keys', 'local'));
  }

  paths(name: string): KeyPaths {
    checkKeyName(name);
    return {
      seed: join(this.dir, `${name}${SEED_SUFFIX}`),
      pub: join(this.dir, `${name}${PUB_SUFFIX}`),
      meta: join(this.dir, `${name}${META_SUFFIX}`),
    };
  }

  private missing(name: string): AstridError {
    return new AstridError(
      'not-found',
      `no keypair named ${JSON.stringify(name)} in ${this.dir} (see \`astrid keypair list\`)`,
    );
  }

  async exists(name: string): Promise<boolean> {
    try {
      await lstat(this.paths(name).seed);
      return true;
    } catch (e) {
      if (errno(e) === 'ENOENT') return false;
      throw e;
    }
  }

  private async ensureDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: DIR_MODE });
    await chmod(this.dir, DIR_MODE);
  }

  /**
   * Creates a keypair. All three files are staged first and then moved into
   * place, seed first; any failure removes what this call wrote, so a
   * half-made keypair is never left behind. Without `force` the seed is
   * linked into place, which fails if the name was taken meanwhile.
   */
  async generate(options: GenerateOptions): Promise<StoredKey> {
    const name = checkKeyName(options.name);
    const paths = this.paths(name);
    const taken = () =>
      new AstridError(
        'already-exists',
        `keypair ${JSON.stringify(name)} already exists in ${this.dir}; choose another --name, or pass --force to replace it`,
      );
    if (options.force !== true && (await this.exists(name))) throw taken();
    const seed = options.seed ?? randomBytes(32);
    if (seed.length !== 32) throw new AstridError('invalid-input', 'an ed25519 seed is 32 bytes');
    const publicKeyHex = publicHexFromSeed(seed);
    const meta: KeyMeta = {
      schemaVersion: KEY_META_SCHEMA_VERSION,
      fingerprint: publicKeyFingerprint(publicKeyHex),
      createdAtEpoch: Math.floor((options.now ?? (() => new Date()))().getTime() / 1000),
      backend: KEY_BACKEND_FILE,
      note: options.note ?? null,
      boundPrincipal: null,
    };
    await this.ensureDir();
    const staged: { temp: string; path: string }[] = [];
    const committed: string[] = [];
    try {
      staged.push({ temp: await stage(paths.seed, seed, SECRET_MODE), path: paths.seed });
      staged.push({
        temp: await stage(paths.pub, `${publicKeyHex}\n`, PUBLIC_MODE),
        path: paths.pub,
      });
      staged.push({
        temp: await stage(paths.meta, renderKeyMeta(meta), SECRET_MODE),
        path: paths.meta,
      });
      for (const [i, { temp, path }] of staged.entries()) {
        if (i === 0 && options.force !== true) {
          try {
            await link(temp, path);
          } catch (e) {
            if (errno(e) === 'EEXIST') throw taken();
            throw e;
          }
          await rm(temp, { force: true });
        } else {
          await rename(temp, path);
        }
        committed.push(path);
      }
    } catch (e) {
      for (const { temp } of staged) await rm(temp, { force: true });
      for (const path of committed) await rm(path, { force: true });
      throw e;
    }
    return { name, publicKeyHex, meta, paths };
  }

  /** Reads a keypair, checking that its three files agree with each other. */
  async read(name: string): Promise<StoredKey> {
    const paths = this.paths(name);
    let seed: Buffer;
    try {
      seed = await readFile(paths.seed);
    } catch (e) {
      if (errno(e) === 'ENOENT') throw this.missing(name);
      throw e;
    }
    if (seed.length !== 32) {
      throw new AstridError(
        'integrity',
        `${paths.seed}: an ed25519 seed is 32 bytes, found ${seed.length}`,
      );
    }
    const derived = publicHexFromSeed(seed);
    const readPart = async (path: string, what: string) => {
      try {
        return await readFile(path, 'utf8');
      } catch (e) {
        if (errno(e) === 'ENOENT') {
          throw new AstridError(
            'integrity',
            `keypair ${JSON.stringify(name)} is incomplete: ${what} ${path} is missing (delete it with \`astrid keypair delete ${name} --yes\`)`,
          );
        }
        throw e;
      }
    };
    const pubText = (await readPart(paths.pub, 'public key')).trim().toLowerCase();
    if (pubText !== derived) {
      throw new AstridError(
        'integrity',
        `${paths.pub} does not match the private key in ${paths.seed}`,
      );
    }
    const meta = parseKeyMeta(await readPart(paths.meta, 'meta file'), paths.meta);
    if (meta.fingerprint !== publicKeyFingerprint(derived)) {
      throw new AstridError(
        'integrity',
        `${paths.meta}: fingerprint does not match the public key`,
      );
    }
    return { name, publicKeyHex: derived, meta, paths };
  }

  /** Every keypair, sorted by name; unreadable ones are reported, not fatal. */
  async list(): Promise<KeyListing> {
    let files: string[];
    try {
      files = await readdir(this.dir);
    } catch (e) {
      if (errno(e) === 'ENOENT') return { keys: [], problems: [] };
      throw e;
    }
    const names = files
      .filter((f) => f.endsWith(SEED_SUFFIX) && !f.startsWith('.'))
      .map((f) => f.slice(0, -SEED_SUFFIX.length))
      .filter((n) => /^[a-z0-9-]{1,64}$/.test(n))
      .sort();
    const keys: StoredKey[] = [];
    const problems: { name: string; error: AstridError }[] = [];
    for (const name of names) {
      try {
        keys.push(await this.read(name));
      } catch (e) {
        const error =
          e instanceof AstridError
            ? e
            : new AstridError('internal', e instanceof Error ? e.message : String(e));
        problems.push({ name, error });
      }
    }
    return { keys, problems };
  }

  /** Removes a keypair's files (the private seed first). */
  async delete(name: string): Promise<void> {
    const paths = this.paths(name);
    try {
      await rm(paths.seed);
    } catch (e) {
      if (errno(e) === 'ENOENT') throw this.missing(name);
      throw e;
    }
    await rm(paths.pub, { force: true });
    await rm(paths.meta, { force: true });
  }

  /** Records the principal an invite redeemed with this key created. */
  async bindPrincipal(name: string, principal: PrincipalId): Promise<StoredKey> {
    const key = await this.read(name);
    const meta: KeyMeta = { ...key.meta, boundPrincipal: principal };
    await writeFileAtomic(key.paths.meta, renderKeyMeta(meta), { mode: SECRET_MODE });
    await chmod(key.paths.meta, SECRET_MODE);
    return { ...key, meta };
  }
}
