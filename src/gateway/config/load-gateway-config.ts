import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'smol-toml';
import { AstridError, unwrap } from '../../core/errors.js';
import type { AstridHome } from '../../storage/home/astrid-home.js';
import {
  DEFAULT_GATEWAY_CONFIG,
  type DistroDocument,
  type GatewayConfig,
} from './gateway-config.js';
import { parseGatewayConfig } from './parse-gateway-config.js';

export const GATEWAY_CONFIG_FILE = 'gateway-http.toml';
const FILE_LIMIT = 1024 * 1024;

export interface LoadedGatewayConfig {
  readonly config: GatewayConfig;
  readonly warnings: readonly string[];
}

export function gatewayConfigPath(home: AstridHome): string {
  return join(home.etcDir, GATEWAY_CONFIG_FILE);
}

async function readSmall(path: string, what: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new AstridError('config', `cannot read ${what} ${path}: ${(e as Error).message}`);
  }
  if (Buffer.byteLength(text) > FILE_LIMIT)
    throw new AstridError('config', `${what} ${path} is larger than 1 MiB`);
  return text;
}

async function regularFile(path: string, what: string): Promise<Stats> {
  let s: Stats;
  try {
    s = await stat(path);
  } catch (e) {
    throw new AstridError('config', `cannot read ${what} ${path}: ${(e as Error).message}`);
  }
  if (!s.isFile()) throw new AstridError('config', `${what} ${path} is not a regular file`);
  return s;
}

async function loadDistro(path: string): Promise<DistroDocument> {
  const text = await readSmall(path, 'distro-path');
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new AstridError(
      'config',
      `distro-path ${path} is not valid TOML: ${(e as Error).message}`,
    );
  }
  const distro = doc.distro;
  if (typeof distro !== 'object' || distro === null || Array.isArray(distro))
    throw new AstridError('config', `distro-path ${path} has no [distro] table`);
  return doc;
}

/**
 * Reads `etc/gateway-http.toml`. A missing file is a disabled gateway. When
 * enabled, the TLS files must be two distinct regular files (a key readable
 * by group or others is a warning) and the distro file must parse with a
 * `[distro]` table. Any problem is a `config` error: the daemon refuses to
 * boot rather than run without the gateway its operator asked for. Relative
 * paths are resolved against `etc/`.
 */
export async function loadGatewayConfig(home: AstridHome): Promise<LoadedGatewayConfig> {
  const path = gatewayConfigPath(home);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      return { config: DEFAULT_GATEWAY_CONFIG, warnings: [] };
    throw new AstridError('config', `cannot read ${path}: ${(e as Error).message}`);
  }
  if (Buffer.byteLength(text) > FILE_LIMIT)
    throw new AstridError('config', `${path} is larger than 1 MiB`);
  const parsed = unwrap(parseGatewayConfig(text, path));
  const at = (p: string) => (isAbsolute(p) ? p : resolve(home.etcDir, p));
  const base = parsed.config;
  const warnings = [...parsed.warnings];
  const tls =
    base.tls === null ? null : { certPath: at(base.tls.certPath), keyPath: at(base.tls.keyPath) };
  const distroPath = base.distroPath === null ? null : at(base.distroPath);
  if (!base.enabled) return { config: { ...base, tls, distroPath, distro: null }, warnings };

  if (tls !== null) {
    const cert = await regularFile(tls.certPath, 'tls.cert-path');
    const key = await regularFile(tls.keyPath, 'tls.key-path');
    if (tls.certPath === tls.keyPath || (cert.dev === key.dev && cert.ino === key.ino))
      throw new AstridError(
        'config',
        `tls.cert-path and tls.key-path name the same file (${tls.keyPath}); the private key belongs in its own file`,
      );
    if ((key.mode & 0o077) !== 0)
      warnings.push(
        `TLS private key ${tls.keyPath} is readable by group or others (mode ${(key.mode & 0o777).toString(8)}); chmod 600 it`,
      );
  }
  const distro = distroPath === null ? null : await loadDistro(distroPath);
  return { config: { ...base, tls, distroPath, distro }, warnings };
}
