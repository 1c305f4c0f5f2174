/// <reference path="./astrid-io-poll.d.ts" />
/// <reference path="./astrid-io-streams.d.ts" />
declare module 'astrid:net/host@1.0.0' {
  /**
   * A handle on the kernel's pre-bound Unix listener (`net_bind` capsules).
   */
  export function bindUnix(): UnixListener;
  export function bindTcp(host: string, port: number): TcpListener;
  /**
   * Connects to `host:port` (must match `net_connect`; every address passes the airlock).
   */
  export function connectTcp(host: string, port: number): TcpStream;
  export function udpBind(host: string, port: number): UdpSocket;
  export function lookupHost(host: string): Array<string>;
  export type Pollable = import('astrid:io/poll@1.0.0').Pollable;
  export type InputStream = import('astrid:io/streams@1.0.0').InputStream;
  export type OutputStream = import('astrid:io/streams@1.0.0').OutputStream;
  export type ErrorCode = ErrorCodeWouldBlock | ErrorCodeClosed | ErrorCodeCapabilityDenied | ErrorCodeAirlockRejected | ErrorCodeConnectionRefused | ErrorCodeConnectionReset | ErrorCodeTimeout | ErrorCodeAddressInUse | ErrorCodeAddressNotAvailable | ErrorCodeNameUnresolvable | ErrorCodeInvalidHandle | ErrorCodeNotTcp | ErrorCodeQuota | ErrorCodeUnknown;
  export interface ErrorCodeWouldBlock {
    tag: 'would-block',
  }
  export interface ErrorCodeClosed {
    tag: 'closed',
  }
  export interface ErrorCodeCapabilityDenied {
    tag: 'capability-denied',
  }
  export interface ErrorCodeAirlockRejected {
    tag: 'airlock-rejected',
  }
  export interface ErrorCodeConnectionRefused {
    tag: 'connection-refused',
  }
  export interface ErrorCodeConnectionReset {
    tag: 'connection-reset',
  }
  export interface ErrorCodeTimeout {
    tag: 'timeout',
  }
  export interface ErrorCodeAddressInUse {
    tag: 'address-in-use',
  }
  export interface ErrorCodeAddressNotAvailable {
    tag: 'address-not-available',
  }
  export interface ErrorCodeNameUnresolvable {
    tag: 'name-unresolvable',
  }
  export interface ErrorCodeInvalidHandle {
    tag: 'invalid-handle',
  }
  export interface ErrorCodeNotTcp {
    tag: 'not-tcp',
  }
  export interface ErrorCodeQuota {
    tag: 'quota',
  }
  export interface ErrorCodeUnknown {
    tag: 'unknown',
    val: string,
  }
  export type NetReadStatus = NetReadStatusData | NetReadStatusClosed | NetReadStatusPending;
  export interface NetReadStatusData {
    tag: 'data',
    val: Uint8Array,
  }
  export interface NetReadStatusClosed {
    tag: 'closed',
  }
  export interface NetReadStatusPending {
    tag: 'pending',
  }
  /**
   * # Variants
   * 
   * ## `"receive"`
   * 
   * ## `"send"`
   * 
   * ## `"both"`
   */
  export type ShutdownHow = 'receive' | 'send' | 'both';
  export interface UdpDatagram {
    data: Uint8Array,
    peerHost: string,
    peerPort: number,
  }
  
  export class TcpListener implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    accept(): TcpStream;
    pollAccept(timeoutMs: bigint): TcpStream | undefined;
    localAddr(): string;
    subscribeReadiness(): Pollable;
    [Symbol.dispose](): void;
  }
  
  export class TcpStream implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    /**
    * Reads one length-prefixed frame (4-byte big-endian length).
    */
    read(): NetReadStatus;
    /**
    * Writes one length-prefixed frame.
    */
    write(data: Uint8Array): void;
    readBytes(maxBytes: number): Uint8Array;
    writeBytes(data: Uint8Array): number;
    peek(maxBytes: number): Uint8Array;
    shutdown(how: ShutdownHow): void;
    peerAddr(): string;
    localAddr(): string;
    setNodelay(nodelay: boolean): void;
    nodelay(): boolean;
    setReadTimeout(timeoutMs: bigint | undefined): void;
    readTimeout(): bigint | undefined;
    setWriteTimeout(timeoutMs: bigint | undefined): void;
    writeTimeout(): bigint | undefined;
    setHopLimit(hops: number): void;
    hopLimit(): number;
    setKeepalive(keepaliveSecs: bigint | undefined): void;
    keepalive(): bigint | undefined;
    setLinger(lingerMs: bigint | undefined): void;
    linger(): bigint | undefined;
    setReuseaddr(reuse: boolean): void;
    reuseaddr(): boolean;
    subscribeReadable(): Pollable;
    readStream(): InputStream;
    writeStream(): OutputStream;
    [Symbol.dispose](): void;
  }
  
  export class UdpSocket implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    sendTo(data: Uint8Array, peerHost: string, peerPort: number): number;
    recvFrom(maxBytes: number): UdpDatagram | undefined;
    connect(peerHost: string, peerPort: number): void;
    disconnect(): void;
    send(data: Uint8Array): number;
    recv(maxBytes: number): Uint8Array | undefined;
    peerAddr(): string | undefined;
    setReadTimeout(timeoutMs: bigint | undefined): void;
    localAddr(): string;
    subscribeReadable(): Pollable;
    [Symbol.dispose](): void;
  }
  
  export class UnixListener implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    accept(): TcpStream;
    pollAccept(timeoutMs: bigint): TcpStream | undefined;
    subscribeReadiness(): Pollable;
    [Symbol.dispose](): void;
  }
}
