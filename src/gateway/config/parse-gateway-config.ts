import { isIP } from 'node:net';
import { parse } from 'smol-toml';
import { AstridError, err, ok, type Result } from '../../core/errors.js';
import { corsOriginProblem } from './cors-origin.js';
import { DEFAULT_GATEWAY_CONFIG, type GatewayConfig, type TlsPaths } from './gateway-config.js';
import { formatListenAddress, isLoopback, parseListenAddress } from './listen-address.js';

/** The file's settings before its paths are checked on disk (`distro` not read yet). */
export type ParsedGatewayConfig = Omit<GatewayConfig, 'distro'>;

export interface ParseOutcome {
  readonly config: ParsedGatewayConfig;
  /** Things worth a log line that do not stop the gateway. */
  readonly warnings: readonly string[];
}

const TOP_KEYS = new Set([
  'enabled',
  'listen',
  'distro-path',
  'session-lifetime-secs',
  'redeem-rate-limit-secs',
  'cors-allow-origins',
  'trust-forwarded-from',
  'tls',
]);
const TLS_KEYS = new Set(['cert-path', 'key-path']);

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/**
 * Parses and validates `etc/gateway-http.toml` text (spec §1.1). Every key
 * is optional; unknown keys, wrong types and invalid values are errors
 * (all of them reported at once), because a gateway that silently ignores
 * a security setting is worse than one that refuses to start.
 */
export function parseGatewayConfig(
  text: string,
  source: string,
): Result<ParseOutcome, AstridError> {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    return err(new AstridError('config', `${source} is not valid TOML: ${(e as Error).message}`));
  }
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const key of Object.keys(doc))
    if (!TOP_KEYS.has(key)) problems.push(`unknown key ${JSON.stringify(key)}`);

  const bool = (key: string, fallback: boolean): boolean => {
    const v = doc[key];
    if (v === undefined) return fallback;
    if (typeof v === 'boolean') return v;
    problems.push(`${key} must be true or false`);
    return fallback;
  };
  const uint = (key: string, fallback: number, min: number): number => {
    const v = doc[key];
    if (v === undefined) return fallback;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min) return v;
    problems.push(`${key} must be an integer >= ${min}`);
    return fallback;
  };
  const str = (table: Record<string, unknown>, key: string, label: string): string | null => {
    const v = table[key];
    if (v === undefined) return null;
    if (typeof v === 'string' && v !== '') return v;
    problems.push(`${label} must be a non-empty string`);
    return null;
  };
  const strings = (key: string): string[] => {
    const v = doc[key];
    if (v === undefined) return [];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    problems.push(`${key} must be an array of strings`);
    return [];
  };

  const enabled = bool('enabled', DEFAULT_GATEWAY_CONFIG.enabled);
  let listen = DEFAULT_GATEWAY_CONFIG.listen;
  const listenText = str(doc, 'listen', 'listen');
  if (listenText !== null) {
    const parsed = parseListenAddress(listenText);
    if (parsed === null)
      problems.push(
        `listen ${JSON.stringify(listenText)} is not an ip:port address (e.g. "127.0.0.1:2787" or "[::1]:2787")`,
      );
    else listen = parsed;
  }
  const distroPath = str(doc, 'distro-path', 'distro-path');
  const sessionLifetimeSecs = uint(
    'session-lifetime-secs',
    DEFAULT_GATEWAY_CONFIG.sessionLifetimeSecs,
    1,
  );
  const redeemRateLimitSecs = uint(
    'redeem-rate-limit-secs',
    DEFAULT_GATEWAY_CONFIG.redeemRateLimitSecs,
    0,
  );
  const corsAllowOrigins = strings('cors-allow-origins');
  for (const origin of corsAllowOrigins) {
    const problem = corsOriginProblem(origin);
    if (problem !== null)
      problems.push(`cors-allow-origins entry ${JSON.stringify(origin)} ${problem}`);
  }
  const trustForwardedFrom = strings('trust-forwarded-from');
  for (const ip of trustForwardedFrom)
    if (isIP(ip) === 0)
      problems.push(
        `trust-forwarded-from entry ${JSON.stringify(ip)} is not a bare IPv4/IPv6 address (CIDR ranges are not supported)`,
      );

  let tls: TlsPaths | null = null;
  if (doc.tls !== undefined) {
    if (!isTable(doc.tls)) problems.push('tls must be a table ([tls])');
    else {
      for (const key of Object.keys(doc.tls))
        if (!TLS_KEYS.has(key)) problems.push(`unknown key ${JSON.stringify(`tls.${key}`)}`);
      const certPath = str(doc.tls, 'cert-path', 'tls.cert-path');
      const keyPath = str(doc.tls, 'key-path', 'tls.key-path');
      if (certPath === null || keyPath === null) {
        if (!problems.some((p) => p.startsWith('tls.')))
          problems.push('[tls] needs both cert-path and key-path');
      } else tls = { certPath, keyPath };
    }
  }

  if (problems.length > 0)
    return err(new AstridError('config', `invalid ${source}: ${problems.join('; ')}`));
  if (enabled && tls === null && !isLoopback(listen.host))
    warnings.push(
      `the gateway serves plain HTTP on the non-loopback address ${formatListenAddress(listen)}; bearer tokens cross the network in clear text — configure [tls] or put a TLS-terminating proxy in front`,
    );
  return ok({
    config: {
      enabled,
      listen,
      distroPath,
      sessionLifetimeSecs,
      redeemRateLimitSecs,
      corsAllowOrigins,
      trustForwardedFrom,
      tls,
    },
    warnings,
  });
}
