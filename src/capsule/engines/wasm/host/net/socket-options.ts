import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface NativeSockopt {
  setIntOption(fd: number, level: number, name: number, value: number): void;
  getIntOption(fd: number, level: number, name: number): number;
  peerCredentials(fd: number): { pid: number; uid: number; gid: number };
  readonly constants: Readonly<Record<string, number>>;
}

/** The addon built from `native/sockopt.c` at install (`npm install` runs node-gyp). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(join(dir, 'binding.gyp'))) {
      const name = (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name;
      if (name === 'astrid') return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the astrid package root (binding.gyp)');
    dir = up;
  }
}

let loaded: NativeSockopt | null = null;

function native(): NativeSockopt {
  if (loaded === null) {
    const path = join(packageRoot(), 'build', 'Release', 'astrid_sockopt.node');
    if (!existsSync(path)) {
      throw new Error(
        `the socket-options addon is not built (${path}); run \`npm install\` (it compiles native/sockopt.c with node-gyp)`,
      );
    }
    loaded = createRequire(import.meta.url)(path) as NativeSockopt;
  }
  return loaded;
}

/** The OS file descriptor behind a connected or listening Node socket. */
export function socketFd(socket: Socket): number {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) throw new Error('the socket has no file descriptor');
  return fd;
}

function constant(name: string): number {
  const v = native().constants[name];
  if (v === undefined) throw new Error(`socket constant ${name} is unknown`);
  return v;
}

/** The unicast hop limit (IPv4 TTL or IPv6 unicast hops). */
export function setHopLimit(fd: number, family: 4 | 6, hops: number): void {
  if (family === 6)
    native().setIntOption(fd, constant('IPPROTO_IPV6'), constant('IPV6_UNICAST_HOPS'), hops);
  else native().setIntOption(fd, constant('IPPROTO_IP'), constant('IP_TTL'), hops);
}

export function hopLimit(fd: number, family: 4 | 6): number {
  return family === 6
    ? native().getIntOption(fd, constant('IPPROTO_IPV6'), constant('IPV6_UNICAST_HOPS'))
    : native().getIntOption(fd, constant('IPPROTO_IP'), constant('IP_TTL'));
}

/** TCP keep-alive idle time and probe interval, both in seconds. */
export function setKeepAliveTiming(fd: number, idleSecs: number, intervalSecs: number): void {
  native().setIntOption(fd, constant('IPPROTO_TCP'), constant('TCP_KEEPIDLE'), idleSecs);
  native().setIntOption(fd, constant('IPPROTO_TCP'), constant('TCP_KEEPINTVL'), intervalSecs);
}

export function keepAliveIdle(fd: number): number {
  return native().getIntOption(fd, constant('IPPROTO_TCP'), constant('TCP_KEEPIDLE'));
}

export function setReuseAddress(fd: number, on: boolean): void {
  native().setIntOption(fd, constant('SOL_SOCKET'), constant('SO_REUSEADDR'), on ? 1 : 0);
}

export function reuseAddress(fd: number): boolean {
  return native().getIntOption(fd, constant('SOL_SOCKET'), constant('SO_REUSEADDR')) !== 0;
}

/** The credentials of the process at the other end of a Unix-domain connection (SO_PEERCRED). */
export function peerCredentials(fd: number): { pid: number; uid: number; gid: number } {
  return native().peerCredentials(fd);
}
