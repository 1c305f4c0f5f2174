import { existsSync } from 'node:fs';
import { AstridError } from '../../core/errors.js';
import type { PrincipalId } from '../../core/ids/principal-id.js';
import { ASTRID_VERSION } from '../../core/version.js';
import { SocketConnection } from '../../kernel/clients/socket-connection.js';
import { SocketKernelClient } from '../../kernel/clients/socket-kernel-client.js';
import { readSessionToken } from '../../kernel/socket/session-token.js';
import { AstridHome } from '../../storage/home/astrid-home.js';
import type { CliIo } from '../output.js';
import { readActiveAgent } from './cli-context.js';

export const NOT_RUNNING = 'Failed to connect to Astrid daemon. Run `astrid start` to launch it.';

/**
 * What a verb needs from its surroundings: where to write, the home, the
 * active agent, and connections to the daemon (as the active agent unless
 * told otherwise). Nothing here starts a daemon.
 */
export class CliSession {
  readonly io: CliIo;
  readonly env: NodeJS.ProcessEnv;
  private cachedHome: AstridHome | null = null;
  private readonly open: { close(): Promise<void> }[] = [];

  constructor(io: CliIo, env: NodeJS.ProcessEnv = process.env) {
    this.io = io;
    this.env = env;
  }

  /** `$ASTRID_HOME`, else `$HOME/.astrid` (a config error when neither resolves). */
  get home(): AstridHome {
    if (this.cachedHome === null) {
      try {
        this.cachedHome = AstridHome.fromEnv(this.env);
      } catch (e) {
        throw new AstridError('config', e instanceof Error ? e.message : String(e));
      }
    }
    return this.cachedHome;
  }

  activeAgent(): Promise<PrincipalId> {
    return readActiveAgent(this.home);
  }

  get socketPath(): string {
    return this.home.path('run', 'system.sock');
  }

  get tokenPath(): string {
    return this.home.path('run', 'system.token');
  }

  get readyPath(): string {
    return this.home.path('run', 'system.ready');
  }

  /** Whether the daemon's socket file exists (it may still be stale). */
  socketExists(): boolean {
    return existsSync(this.socketPath);
  }

  private async connectOptions(principal?: PrincipalId) {
    if (!this.socketExists()) throw new AstridError('unavailable', NOT_RUNNING);
    let token: string;
    try {
      token = await readSessionToken(this.tokenPath);
    } catch {
      throw new AstridError('unavailable', NOT_RUNNING);
    }
    return {
      path: this.socketPath,
      token,
      clientVersion: ASTRID_VERSION,
      principal: principal ?? (await this.activeAgent()),
    };
  }

  /** A management client acting for `principal` (default: the active agent). */
  async client(principal?: PrincipalId): Promise<SocketKernelClient> {
    const options = await this.connectOptions(principal);
    let client: SocketKernelClient;
    try {
      client = await SocketKernelClient.connect(options);
    } catch (e) {
      throw connectError(e);
    }
    this.open.push(client);
    return client;
  }

  /** A raw bus connection acting for `principal` (default: the active agent). */
  async connection(principal?: PrincipalId): Promise<SocketConnection> {
    const options = await this.connectOptions(principal);
    let conn: SocketConnection;
    try {
      conn = await SocketConnection.connect(options);
    } catch (e) {
      throw connectError(e);
    }
    this.open.push(conn);
    return conn;
  }

  /** Closes every connection this session opened. */
  async close(): Promise<void> {
    await Promise.all(this.open.splice(0).map((c) => c.close().catch(() => {})));
  }
}

function connectError(e: unknown): AstridError {
  if (e instanceof AstridError && e.code !== 'unavailable') return e;
  const reason = e instanceof Error ? e.message : String(e);
  return new AstridError('unavailable', `${NOT_RUNNING} (${reason})`);
}
