/** Where the gateway listens. `host` is an IP literal (IPv6 without brackets). */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export interface TlsPaths {
  readonly certPath: string;
  readonly keyPath: string;
}

/** The parsed `[distro]`-bearing TOML document named by `distro-path`. */
export type DistroDocument = Readonly<Record<string, unknown>>;

/** `etc/gateway-http.toml`, validated (spec §1.1). */
export interface GatewayConfig {
  readonly enabled: boolean;
  readonly listen: ListenAddress;
  readonly distroPath: string | null;
  /** Read and parsed once at load; null without `distro-path`. */
  readonly distro: DistroDocument | null;
  readonly sessionLifetimeSecs: number;
  /** Per-IP interval of the redeem limiter; 0 disables it. */
  readonly redeemRateLimitSecs: number;
  /** Exact-match allow-list; empty means no CORS layer at all. */
  readonly corsAllowOrigins: readonly string[];
  /** Peers whose `X-Forwarded-For` / `X-Real-IP` are believed (bare IPs). */
  readonly trustForwardedFrom: readonly string[];
  /** Present → native HTTPS. */
  readonly tls: TlsPaths | null;
}

export const DEFAULT_LISTEN: ListenAddress = { host: '127.0.0.1', port: 2787 };
export const DEFAULT_SESSION_LIFETIME_SECS = 28_800;
export const DEFAULT_REDEEM_RATE_LIMIT_SECS = 1;

export const DEFAULT_GATEWAY_CONFIG: GatewayConfig = {
  enabled: false,
  listen: DEFAULT_LISTEN,
  distroPath: null,
  distro: null,
  sessionLifetimeSecs: DEFAULT_SESSION_LIFETIME_SECS,
  redeemRateLimitSecs: DEFAULT_REDEEM_RATE_LIMIT_SECS,
  corsAllowOrigins: [],
  trustForwardedFrom: [],
  tls: null,
};
