import { connect as netConnect, type Socket } from 'node:net';
import type { HostFunction } from '../host-dispatcher.js';
import { NewResource } from '../host-dispatcher.js';
import { HostError } from '../host-error.js';
import type { InstanceState } from '../instance-state.js';
import { netConnectAllowed, socketBindAllowed, unixBindAllowed } from '../network/allowlists.js';
import { formatIp, parseIp } from '../network/ip-address.js';
import { NameResolutionError, planDial } from '../network/resolve-dial.js';
import { POLLABLE_TYPE, PollableResource } from '../readiness.js';
import {
  INPUT_STREAM_TYPE,
  InputStreamResource,
  OUTPUT_STREAM_TYPE,
  OutputStreamResource,
} from '../streams/stream-resources.js';
import { checkHostName, formatSocketAddress, mapNetError, timed } from './net-errors.js';
import {
  hopLimit,
  reuseAddress,
  setHopLimit,
  setKeepAliveTiming,
  setReuseAddress,
  socketFd,
} from './socket-options.js';
import { MAX_TCP_LISTENERS, TCP_LISTENER_TYPE, TcpListenerResource } from './tcp-listener.js';
import { MAX_FRAME, TCP_STREAM_TYPE, TcpStreamResource } from './tcp-stream.js';
import { MAX_DATAGRAM, MAX_UDP_SOCKETS, UDP_SOCKET_TYPE, UdpSocketResource } from './udp-socket.js';
import { UNIX_LISTENER_TYPE, type UnixListenerHub } from './unix-listener.js';

const NET = 'astrid:net/host@1.0.0';
/** Live streams per instance (accepted and outbound). */
export const MAX_NET_STREAMS = 8;
export const CONNECT_TIMEOUT_MS = 10_000;
export const MAX_POLL_ACCEPT_MS = 60_000;
const REFUSED_ACCEPT_PAUSE_MS = 100;

function audit(state: InstanceState, fn: string, fields: Record<string, unknown> = {}): void {
  state.host.logger.debug(
    {
      audit: 'astrid.audit.net',
      capsule_id: state.host.capsuleId,
      principal: state.effectivePrincipal,
      fn: `${NET}.${fn}`,
      ...fields,
    },
    'host call',
  );
}

const closed = () => new HostError('closed', 'the operation was cancelled');

function liveStreams(state: InstanceState): number {
  return state.resources.countWhere<TcpStreamResource>(TCP_STREAM_TYPE, (s) => !s.dropped);
}

function checkStreamQuota(state: InstanceState): void {
  if (liveStreams(state) >= MAX_NET_STREAMS) {
    throw new HostError(
      'quota',
      `at most ${MAX_NET_STREAMS} network streams may be open at once; drop one first`,
    );
  }
}

function stream(self: unknown): TcpStreamResource {
  if (!(self instanceof TcpStreamResource) || self.dropped)
    throw new HostError('invalid-handle', 'the stream handle is not live');
  return self;
}

function tcpStream(self: unknown): TcpStreamResource {
  const s = stream(self);
  s.requireTcp();
  return s;
}

function u32(v: unknown): number {
  return Math.max(0, Math.min(Number(v ?? 0), 0xffff_ffff));
}

/** An optional duration for the guest (`option<u64>`). */
function optionU64(v: number | null): bigint | undefined {
  return v === null ? undefined : BigInt(v);
}

function optionalMs(v: unknown): number | null {
  if (v === undefined || v === null) return null;
  const n = typeof v === 'bigint' ? v : BigInt(Number(v));
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

/**
 * Resolves and judges every address of `host` for `port`: any address the
 * airlock refuses fails the whole call (`airlock-rejected`), so a name with
 * one private record cannot be used to reach it.
 */
async function strictAddresses(
  state: InstanceState,
  host: string,
  port: number,
  signal: AbortSignal,
): Promise<string[]> {
  const { exceptions, resolver } = state.host.services.network;
  let plan: Awaited<ReturnType<typeof planDial>>;
  try {
    plan = await Promise.race([
      planDial(host, port, exceptions, resolver),
      new Promise<never>((_, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
    ]);
  } catch (e) {
    if (e instanceof NameResolutionError) throw new HostError('name-unresolvable', e.message);
    throw e;
  }
  if (plan.rejected.length > 0) {
    throw new HostError(
      'airlock-rejected',
      `the airlock refuses ${host}: ${plan.rejected.map((r) => `${r.address} is ${r.reason}`).join('; ')}`,
    );
  }
  return plan.allowed.map(formatIp);
}

function dial(address: string, port: number, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: address, port, allowHalfOpen: true });
    const onAbort = () => {
      socket.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      socket.pause();
      resolve(socket);
    });
    socket.once('error', (e) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(e);
    });
  });
}

async function connectTcp(state: InstanceState, host: string, port: number): Promise<NewResource> {
  checkHostName(host);
  if (!netConnectAllowed(state.host.manifest.capabilities.netConnect, host, port)) {
    throw new HostError(
      'capability-denied',
      `${host}:${port} is not on the capsule's net_connect allowlist`,
    );
  }
  checkStreamQuota(state);
  const budget = timed(state.signal, CONNECT_TIMEOUT_MS);
  try {
    const addresses = await strictAddresses(state, host, port, budget.signal);
    let last: unknown = null;
    for (const address of addresses) {
      try {
        const socket = await dial(address, port, budget.signal);
        checkStreamQuota(state);
        audit(state, 'connect-tcp', { host, address, port });
        return new NewResource(
          TCP_STREAM_TYPE,
          new TcpStreamResource(socket, 'tcp', state.effectivePrincipal),
        );
      } catch (e) {
        if (budget.signal.aborted) throw e;
        last = e;
      }
    }
    throw mapNetError(last);
  } catch (e) {
    if (e instanceof HostError) throw e;
    if (budget.timedOut())
      throw new HostError(
        'timeout',
        `connecting to ${host}:${port} took longer than ${CONNECT_TIMEOUT_MS / 1000} s`,
      );
    if (state.signal.aborted) throw closed();
    throw mapNetError(e);
  } finally {
    budget.clear();
  }
}

/** Accepts on the capsule's Unix listener until one connection authenticates (or `signal` ends the wait). */
async function acceptUnix(
  state: InstanceState,
  hub: UnixListenerHub,
  signal: AbortSignal,
): Promise<NewResource | null> {
  for (;;) {
    if (liveStreams(state) >= MAX_NET_STREAMS) return null;
    const outcome = await hub.acceptOne(signal);
    if (outcome.kind === 'accepted') {
      if (liveStreams(state) >= MAX_NET_STREAMS) {
        outcome.connection.socket.destroy();
        return null;
      }
      audit(state, 'unix-listener.accept');
      return new NewResource(
        TCP_STREAM_TYPE,
        new TcpStreamResource(
          outcome.connection.socket,
          'unix',
          state.effectivePrincipal,
          outcome.connection.initial,
        ),
      );
    }
    await new Promise((r) => setTimeout(r, REFUSED_ACCEPT_PAUSE_MS));
  }
}

function listenerHub(self: unknown): UnixListenerHub {
  const hub = (self as { hub?: UnixListenerHub } | undefined)?.hub;
  if (hub === undefined) throw new HostError('invalid-handle', 'the listener handle is not live');
  return hub;
}

/** A guest handle on the capsule's Unix listener. */
export class UnixListenerResource {
  readonly hub: UnixListenerHub;

  constructor(hub: UnixListenerHub) {
    this.hub = hub;
  }
}

function tcpListener(self: unknown): TcpListenerResource {
  if (!(self instanceof TcpListenerResource))
    throw new HostError('invalid-handle', 'the listener handle is not live');
  return self;
}

function udp(self: unknown): UdpSocketResource {
  if (!(self instanceof UdpSocketResource))
    throw new HostError('invalid-handle', 'the socket handle is not live');
  return self;
}

function checkBind(state: InstanceState, kind: 'tcp' | 'udp', host: string, port: number): void {
  checkHostName(host);
  if (parseIp(host) === null && host !== 'localhost') {
    throw new HostError(
      'address-not-available',
      `bind to an IP address (or localhost), not ${JSON.stringify(host)}`,
    );
  }
  if (!socketBindAllowed(state.host.manifest.capabilities.netBind, kind, host, port)) {
    throw new HostError(
      'capability-denied',
      `binding ${kind} ${host}:${port} is not on the capsule's net_bind list (add "${kind}:${host}:${port}")`,
    );
  }
}

async function udpPeer(
  state: InstanceState,
  sock: UdpSocketResource,
  host: string,
  port: number,
): Promise<string> {
  checkHostName(host);
  if (!netConnectAllowed(state.host.manifest.capabilities.netConnect, host, port)) {
    throw new HostError(
      'capability-denied',
      `${host}:${port} is not on the capsule's net_connect allowlist`,
    );
  }
  const addresses = await strictAddresses(state, host, port, state.signal);
  const family = sock.family;
  const match = addresses.find((a) => (a.includes(':') ? 6 : 4) === family);
  if (match === undefined)
    throw new HostError(
      'address-not-available',
      `${host} has no IPv${family} address for this socket`,
    );
  return match;
}

async function udpReceive(state: InstanceState, sock: UdpSocketResource) {
  if (!sock.ready()) {
    const limit = timed(state.signal, sock.readTimeoutMs);
    try {
      await sock.wait(limit.signal);
    } catch {
      if (limit.timedOut()) return null;
      throw closed();
    } finally {
      limit.clear();
    }
  }
  return sock.take();
}

const S = TCP_STREAM_TYPE;

/** `astrid:net`: the capsule's Unix listener, outbound TCP, TCP and UDP sockets, DNS — allowlisted and airlocked. */
export const NET_HOST: ReadonlyArray<readonly [string, HostFunction]> = [
  [
    `${NET}#bindUnix`,
    (state) => {
      if (!unixBindAllowed(state.host.manifest.capabilities.netBind))
        throw new HostError('capability-denied', 'the capsule has no net_bind capability');
      const hub = state.host.unixListener;
      if (hub === null)
        throw new HostError(
          'unknown',
          'no Unix listener is bound for this capsule',
          'no pre-bound Unix listener configured',
        );
      return new NewResource(UNIX_LISTENER_TYPE, new UnixListenerResource(hub));
    },
  ],
  [
    `${UNIX_LISTENER_TYPE}.accept`,
    async (state, _args, self) => {
      const hub = listenerHub(self);
      checkStreamQuota(state);
      try {
        const accepted = await acceptUnix(state, hub, state.signal);
        if (accepted === null)
          throw new HostError(
            'quota',
            `at most ${MAX_NET_STREAMS} network streams may be open at once`,
          );
        return accepted;
      } catch (e) {
        if (e instanceof HostError) throw e;
        throw closed();
      }
    },
  ],
  [
    `${UNIX_LISTENER_TYPE}.pollAccept`,
    async (state, args, self) => {
      const hub = listenerHub(self);
      const ms = Math.min(optionalMs(args[0]) ?? 0, MAX_POLL_ACCEPT_MS);
      const limit = timed(state.signal, ms);
      try {
        // A refused client is not a connection: keep waiting out the timeout.
        return (await acceptUnix(state, hub, limit.signal)) ?? undefined;
      } catch (e) {
        if (e instanceof HostError) throw e;
        return undefined;
      } finally {
        limit.clear();
      }
    },
  ],
  [
    `${UNIX_LISTENER_TYPE}.subscribeReadiness`,
    (_state, _args, self) =>
      new NewResource(POLLABLE_TYPE, new PollableResource(listenerHub(self))),
  ],
  [
    `${NET}#connectTcp`,
    (state, args) =>
      state.host.services.blocking.run(() => connectTcp(state, String(args[0]), Number(args[1]))),
  ],
  [
    `${NET}#lookupHost`,
    async (state, args) => {
      const host = String(args[0]);
      checkHostName(host);
      if (!netConnectAllowed(state.host.manifest.capabilities.netConnect, host, 0)) {
        throw new HostError(
          'capability-denied',
          `${host} is not on the capsule's net_connect allowlist (lookups need "${host}:*" or "${host}:0")`,
        );
      }
      const { exceptions, resolver } = state.host.services.network;
      try {
        const plan = await state.host.services.blocking.run(() =>
          planDial(host, 0, exceptions, resolver),
        );
        return plan.allowed.map(formatIp);
      } catch (e) {
        if (e instanceof NameResolutionError) throw new HostError('name-unresolvable', e.message);
        throw mapNetError(e);
      }
    },
  ],
  [
    `${NET}#bindTcp`,
    async (state, args) => {
      const host = String(args[0]);
      const port = Number(args[1]);
      checkBind(state, 'tcp', host, port);
      if (state.resources.count(TCP_LISTENER_TYPE) >= MAX_TCP_LISTENERS)
        throw new HostError('quota', `at most ${MAX_TCP_LISTENERS} TCP listeners per instance`);
      try {
        const listener = await TcpListenerResource.listen(host, port);
        audit(state, 'bind-tcp', { host, port, local: listener.localAddress() });
        return new NewResource(TCP_LISTENER_TYPE, listener);
      } catch (e) {
        throw mapNetError(e);
      }
    },
  ],
  [
    `${TCP_LISTENER_TYPE}.accept`,
    async (state, _args, self) => {
      const listener = tcpListener(self);
      checkStreamQuota(state);
      let socket: Socket | null;
      try {
        socket = await listener.next(state.signal);
      } catch {
        throw closed();
      }
      if (socket === null) throw closed();
      checkStreamQuota(state);
      audit(state, 'tcp-listener.accept', {
        peer: formatSocketAddress(socket.remoteAddress, socket.remotePort),
      });
      return new NewResource(S, new TcpStreamResource(socket, 'tcp', state.effectivePrincipal));
    },
  ],
  [
    `${TCP_LISTENER_TYPE}.pollAccept`,
    async (state, args, self) => {
      const listener = tcpListener(self);
      if (liveStreams(state) >= MAX_NET_STREAMS) return undefined;
      const limit = timed(state.signal, Math.min(optionalMs(args[0]) ?? 0, MAX_POLL_ACCEPT_MS));
      try {
        const socket = await listener.next(limit.signal);
        if (socket === null) return undefined;
        return new NewResource(S, new TcpStreamResource(socket, 'tcp', state.effectivePrincipal));
      } catch {
        return undefined;
      } finally {
        limit.clear();
      }
    },
  ],
  [`${TCP_LISTENER_TYPE}.localAddr`, (_state, _args, self) => tcpListener(self).localAddress()],
  [
    `${TCP_LISTENER_TYPE}.subscribeReadiness`,
    (_state, _args, self) =>
      new NewResource(POLLABLE_TYPE, new PollableResource(tcpListener(self))),
  ],
  // tcp-stream
  [
    `${S}.read`,
    async (state, _args, self) => {
      const out = await stream(self).readFrame(state.signal);
      if (out.tag === 'data') audit(state, 'tcp-stream.read', { bytes: out.val.length });
      return out;
    },
  ],
  [
    `${S}.write`,
    async (state, args, self) => {
      const data = args[0] as Uint8Array;
      await stream(self).writeFrame(data, state.signal);
      audit(state, 'tcp-stream.write', { bytes: data.length });
    },
  ],
  [
    `${S}.readBytes`,
    async (state, args, self) => {
      const out = await stream(self).readBytes(Math.min(u32(args[0]), MAX_FRAME), state.signal);
      audit(state, 'tcp-stream.read-bytes', { bytes: out.length });
      return out;
    },
  ],
  [
    `${S}.writeBytes`,
    async (state, args, self) => {
      const n = await stream(self).writeBytes(args[0] as Uint8Array, state.signal);
      audit(state, 'tcp-stream.write-bytes', { bytes: n });
      return n;
    },
  ],
  [`${S}.peek`, (state, args, self) => stream(self).peek(u32(args[0]), state.signal)],
  [
    `${S}.shutdown`,
    (_state, args, self) => {
      stream(self).shutdown(args[0] as 'receive' | 'send' | 'both');
    },
  ],
  [
    `${S}.peerAddr`,
    (_state, _args, self) => {
      const s = tcpStream(self).socket;
      return formatSocketAddress(s.remoteAddress, s.remotePort);
    },
  ],
  [
    `${S}.localAddr`,
    (_state, _args, self) => {
      const s = tcpStream(self).socket;
      return formatSocketAddress(s.localAddress, s.localPort);
    },
  ],
  [
    `${S}.setNodelay`,
    (_state, args, self) => {
      const s = tcpStream(self);
      s.noDelay = args[0] === true;
      s.socket.setNoDelay(s.noDelay);
    },
  ],
  [`${S}.nodelay`, (_state, _args, self) => tcpStream(self).noDelay],
  [
    `${S}.setReadTimeout`,
    (_state, args, self) => {
      tcpStream(self).readTimeoutMs = optionalMs(args[0]);
    },
  ],
  [`${S}.readTimeout`, (_state, _args, self) => optionU64(tcpStream(self).readTimeoutMs)],
  [
    `${S}.setWriteTimeout`,
    (_state, args, self) => {
      tcpStream(self).writeTimeoutMs = optionalMs(args[0]);
    },
  ],
  [`${S}.writeTimeout`, (_state, _args, self) => optionU64(tcpStream(self).writeTimeoutMs)],
  [
    `${S}.setHopLimit`,
    (_state, args, self) => {
      const s = tcpStream(self);
      const hops = Number(args[0]);
      if (!Number.isInteger(hops) || hops < 1 || hops > 255)
        throw new HostError(
          'unknown',
          `the hop limit must be 1–255 (got ${hops})`,
          'invalid hop limit',
        );
      try {
        setHopLimit(socketFd(s.socket), s.family, hops);
      } catch (e) {
        throw mapNetError(e);
      }
    },
  ],
  [
    `${S}.hopLimit`,
    (_state, _args, self) => {
      const s = tcpStream(self);
      try {
        return hopLimit(socketFd(s.socket), s.family);
      } catch (e) {
        throw mapNetError(e);
      }
    },
  ],
  [
    `${S}.setKeepalive`,
    (_state, args, self) => {
      const s = tcpStream(self);
      const secs = optionalMs(args[0]);
      try {
        if (secs === null) {
          s.socket.setKeepAlive(false);
          s.keepAliveSecs = null;
          return;
        }
        const seconds = Math.min(Math.max(secs, 1), 32_767);
        s.socket.setKeepAlive(true, seconds * 1000);
        setKeepAliveTiming(socketFd(s.socket), seconds, seconds);
        s.keepAliveSecs = seconds;
      } catch (e) {
        throw mapNetError(e);
      }
    },
  ],
  [`${S}.keepalive`, (_state, _args, self) => optionU64(tcpStream(self).keepAliveSecs)],
  [
    `${S}.setLinger`,
    (_state, args, self) => {
      tcpStream(self).lingerMs = optionalMs(args[0]);
    },
  ],
  [`${S}.linger`, (_state, _args, self) => optionU64(tcpStream(self).lingerMs)],
  [
    `${S}.setReuseaddr`,
    (_state, args, self) => {
      try {
        setReuseAddress(socketFd(tcpStream(self).socket), args[0] === true);
      } catch (e) {
        throw mapNetError(e);
      }
    },
  ],
  [
    `${S}.reuseaddr`,
    (_state, _args, self) => {
      try {
        return reuseAddress(socketFd(tcpStream(self).socket));
      } catch (e) {
        throw mapNetError(e);
      }
    },
  ],
  [
    `${S}.subscribeReadable`,
    (_state, _args, self) =>
      new NewResource(POLLABLE_TYPE, new PollableResource(stream(self).queue)),
  ],
  [
    `${S}.readStream`,
    (_state, _args, self) =>
      new NewResource(INPUT_STREAM_TYPE, new InputStreamResource(stream(self).queue)),
  ],
  [
    `${S}.writeStream`,
    (_state, _args, self) =>
      new NewResource(OUTPUT_STREAM_TYPE, new OutputStreamResource(stream(self).socket)),
  ],
  // udp
  [
    `${NET}#udpBind`,
    async (state, args) => {
      const host = String(args[0]);
      const port = Number(args[1]);
      checkBind(state, 'udp', host, port);
      if (state.resources.count(UDP_SOCKET_TYPE) >= MAX_UDP_SOCKETS)
        throw new HostError('quota', `at most ${MAX_UDP_SOCKETS} UDP sockets per instance`);
      try {
        const sock = await UdpSocketResource.bind(host === 'localhost' ? '127.0.0.1' : host, port);
        audit(state, 'udp-bind', { local: sock.localAddress() });
        return new NewResource(UDP_SOCKET_TYPE, sock);
      } catch (e) {
        throw mapNetError(e);
      }
    },
  ],
  [
    `${UDP_SOCKET_TYPE}.sendTo`,
    async (state, args, self) => {
      const sock = udp(self);
      const data = args[0] as Uint8Array;
      if (data.length > MAX_DATAGRAM)
        throw new HostError(
          'unknown',
          `a datagram holds at most ${MAX_DATAGRAM} bytes`,
          'datagram too large',
        );
      const port = Number(args[2]);
      const address = await udpPeer(state, sock, String(args[1]), port);
      try {
        return await sock.send(data, address, port);
      } catch (e) {
        throw mapNetError(e);
      }
    },
  ],
  [
    `${UDP_SOCKET_TYPE}.recvFrom`,
    async (state, args, self) => {
      const d = await udpReceive(state, udp(self));
      if (d === null) return undefined;
      return { data: d.data.subarray(0, u32(args[0])), peerHost: d.host, peerPort: d.port };
    },
  ],
  [
    `${UDP_SOCKET_TYPE}.connect`,
    async (state, args, self) => {
      const sock = udp(self);
      const port = Number(args[1]);
      const address = await udpPeer(state, sock, String(args[0]), port);
      sock.disconnect();
      try {
        await sock.connect(address, port);
      } catch (e) {
        throw mapNetError(e);
      }
    },
  ],
  [`${UDP_SOCKET_TYPE}.disconnect`, (_state, _args, self) => udp(self).disconnect()],
  [
    `${UDP_SOCKET_TYPE}.send`,
    async (_state, args, self) => {
      const sock = udp(self);
      if (sock.connectedTo === null)
        throw new HostError(
          'unknown',
          'the socket is not connected; call connect first or use send-to',
          'not connected',
        );
      const data = args[0] as Uint8Array;
      if (data.length > MAX_DATAGRAM)
        throw new HostError(
          'unknown',
          `a datagram holds at most ${MAX_DATAGRAM} bytes`,
          'datagram too large',
        );
      try {
        return await sock.send(data);
      } catch (e) {
        throw mapNetError(e);
      }
    },
  ],
  [
    `${UDP_SOCKET_TYPE}.recv`,
    async (state, args, self) => {
      const d = await udpReceive(state, udp(self));
      return d === null ? undefined : d.data.subarray(0, u32(args[0]));
    },
  ],
  [`${UDP_SOCKET_TYPE}.peerAddr`, (_state, _args, self) => udp(self).connectedTo ?? undefined],
  [
    `${UDP_SOCKET_TYPE}.setReadTimeout`,
    (_state, args, self) => {
      udp(self).readTimeoutMs = optionalMs(args[0]);
    },
  ],
  [`${UDP_SOCKET_TYPE}.localAddr`, (_state, _args, self) => udp(self).localAddress()],
  [
    `${UDP_SOCKET_TYPE}.subscribeReadable`,
    (_state, _args, self) => new NewResource(POLLABLE_TYPE, new PollableResource(udp(self))),
  ],
];
