/// <reference path="./astrid-io-poll.d.ts" />
declare module 'astrid:process/host@1.0.0' {
  /**
   * Runs a command to completion and returns its output.
   */
  export function spawn(request: SpawnRequest): ProcessResult;
  export function spawnBackground(request: SpawnRequest): ProcessHandle;
  /**
   * Starts a child that outlives the instance (`allow_persistent` capsules).
   */
  export function spawnPersistent(request: SpawnRequest): ProcessId;
  export function attach(id: ProcessId): ProcessHandle;
  export function listProcesses(labelFilter: string | undefined): Array<ProcessInfo>;
  export function status(id: ProcessId): ProcessInfo;
  export function statusMany(ids: Array<ProcessId>): Array<ProcessInfo>;
  export function readLogs(id: ProcessId): ReadLogsResult;
  export function readSince(id: ProcessId, whichStream: LogStream, cursor: LogCursor, maxBytes: number): LogChunk;
  export function writeStdin(id: ProcessId, data: Uint8Array): number;
  export function closeStdin(id: ProcessId): void;
  export function signal(id: ProcessId, sig: ProcessSignal): void;
  export function wait(id: ProcessId, timeoutMs: bigint): ExitInfo;
  export function stop(id: ProcessId, graceMs: bigint | undefined): ExitInfo;
  export function releaseProcess(id: ProcessId): void;
  export function watch(id: ProcessId, suffix: string | undefined): void;
  export function unwatch(id: ProcessId): void;
  export type Pollable = import('astrid:io/poll@1.0.0').Pollable;
  export type ErrorCode = ErrorCodeCapabilityDenied | ErrorCodeInvalidInput | ErrorCodeBoundaryEscape | ErrorCodeQuota | ErrorCodeTooLarge | ErrorCodeClosed | ErrorCodeCancelled | ErrorCodeWaitTimeout | ErrorCodeNoSuchProcess | ErrorCodeRegistryFull | ErrorCodePersistUnsupported | ErrorCodeUnknown;
  export interface ErrorCodeCapabilityDenied {
    tag: 'capability-denied',
  }
  export interface ErrorCodeInvalidInput {
    tag: 'invalid-input',
  }
  export interface ErrorCodeBoundaryEscape {
    tag: 'boundary-escape',
  }
  export interface ErrorCodeQuota {
    tag: 'quota',
  }
  export interface ErrorCodeTooLarge {
    tag: 'too-large',
  }
  export interface ErrorCodeClosed {
    tag: 'closed',
  }
  export interface ErrorCodeCancelled {
    tag: 'cancelled',
  }
  export interface ErrorCodeWaitTimeout {
    tag: 'wait-timeout',
  }
  export interface ErrorCodeNoSuchProcess {
    tag: 'no-such-process',
  }
  export interface ErrorCodeRegistryFull {
    tag: 'registry-full',
  }
  export interface ErrorCodePersistUnsupported {
    tag: 'persist-unsupported',
  }
  export interface ErrorCodeUnknown {
    tag: 'unknown',
    val: string,
  }
  /**
   * # Variants
   * 
   * ## `"term"`
   * 
   * ## `"hup"`
   * 
   * ## `"usr1"`
   * 
   * ## `"usr2"`
   * 
   * ## `"int"`
   * 
   * ## `"stop"`
   * 
   * ## `"cont"`
   */
  export type ProcessSignal = 'term' | 'hup' | 'usr1' | 'usr2' | 'int' | 'stop' | 'cont';
  export interface EnvVar {
    key: string,
    value: string,
  }
  /**
   * # Variants
   * 
   * ## `"drop-oldest"`
   * 
   * ## `"backpressure"`
   */
  export type OverflowPolicy = 'drop-oldest' | 'backpressure';
  export interface ResourceLimits {
    maxMemoryBytes?: bigint,
    maxCpuSecs?: bigint,
    maxPids?: number,
    maxOpenFiles?: number,
  }
  export interface SpawnRequest {
    cmd: string,
    args: Array<string>,
    stdin?: Uint8Array,
    env: Array<EnvVar>,
    cwd?: string,
    limits?: ResourceLimits,
    label?: string,
    keepStdinOpen?: boolean,
    overflow?: OverflowPolicy,
    logRingBytes?: number,
    maxLifetimeMs?: bigint,
    idleTimeoutMs?: bigint,
    exitRetentionMs?: bigint,
  }
  export interface ExitInfo {
    exitCode?: number,
    signal?: number,
  }
  export interface ProcessResult {
    stdout: string,
    stderr: string,
    exit: ExitInfo,
  }
  export interface ReadLogsResult {
    stdout: string,
    stderr: string,
    running: boolean,
    exit?: ExitInfo,
  }
  export interface KillResult {
    killed: boolean,
    exit?: ExitInfo,
    stdout: string,
    stderr: string,
  }
  export type ProcessId = string;
  /**
   * # Variants
   * 
   * ## `"starting"`
   * 
   * ## `"running"`
   * 
   * ## `"exited"`
   */
  export type ProcessPhase = 'starting' | 'running' | 'exited';
  export interface LogCursor {
    token?: string,
  }
  /**
   * # Variants
   * 
   * ## `"stdout"`
   * 
   * ## `"stderr"`
   */
  export type LogStream = 'stdout' | 'stderr';
  export interface LogChunk {
    data: Uint8Array,
    next: LogCursor,
    bytesDropped: bigint,
    drainedEof: boolean,
  }
  export interface ProcessInfo {
    id: ProcessId,
    label: string,
    command: string,
    osPid?: number,
    phase: ProcessPhase,
    exit?: ExitInfo,
    ageMs: bigint,
    idleMs: bigint,
    bufferedBytes: bigint,
    bytesDropped: bigint,
    stdinOpen: boolean,
    cpuMs?: bigint,
    memBytesPeak?: bigint,
  }
  
  export class ProcessHandle implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    readLogs(): ReadLogsResult;
    writeStdin(data: Uint8Array): number;
    closeStdin(): void;
    signal(sig: ProcessSignal): void;
    kill(): KillResult;
    wait(timeoutMs: bigint | undefined): ExitInfo;
    waitWithOutput(timeoutMs: bigint | undefined): ProcessResult;
    osPid(): number;
    subscribeExit(): Pollable;
    subscribeLogs(): Pollable;
    [Symbol.dispose](): void;
  }
}
