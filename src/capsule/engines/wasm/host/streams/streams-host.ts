import type { HostFunction } from '../host-dispatcher.js';
import { NewResource } from '../host-dispatcher.js';
import type { InstanceState } from '../instance-state.js';
import { POLLABLE_TYPE, PollableResource } from '../readiness.js';
import {
  closedStream,
  INPUT_STREAM_TYPE,
  InputStreamResource,
  MAX_STREAM_READ,
  OUTPUT_BUDGET,
  OUTPUT_STREAM_TYPE,
  OutputStreamResource,
} from './stream-resources.js';

function audit(state: InstanceState, fn: string, bytes: number, started: number): void {
  state.host.logger.debug(
    {
      audit: 'astrid.audit.io',
      capsule_id: state.host.capsuleId,
      principal: state.effectivePrincipal,
      fn: `astrid:io/streams@1.0.0.${fn}`,
      bytes,
      elapsed_ms: Date.now() - started,
    },
    'host call',
  );
}

function input(self: unknown): InputStreamResource {
  if (!(self instanceof InputStreamResource)) throw closedStream();
  return self;
}

function output(self: unknown): OutputStreamResource {
  if (!(self instanceof OutputStreamResource)) throw closedStream();
  return self;
}

function size(value: unknown, cap: number): number {
  const n = typeof value === 'bigint' ? value : BigInt(Number(value ?? 0));
  if (n < 0n) return 0;
  return n > BigInt(cap) ? cap : Number(n);
}

/** A splice: check-write, then read from `src` what fits, then write it. */
async function splice(
  state: InstanceState,
  dst: OutputStreamResource,
  srcArg: unknown,
  len: unknown,
  blocking: boolean,
): Promise<bigint> {
  const src = input(srcArg);
  if (blocking) {
    try {
      await dst.wait(state.signal);
    } catch {
      throw closedStream();
    }
  }
  const permit = dst.checkWrite();
  const want = Math.min(size(len, MAX_STREAM_READ), permit);
  const bytes = blocking ? await src.blockingRead(want, state.signal) : src.read(want);
  dst.write(bytes);
  if (blocking) await dst.flushed(state.signal);
  return BigInt(bytes.length);
}

const I = INPUT_STREAM_TYPE;
const O = OUTPUT_STREAM_TYPE;

/** `astrid:io/streams`: byte streams over sockets and response bodies, with real readiness. */
export const STREAMS_HOST: ReadonlyArray<readonly [string, HostFunction]> = [
  [
    `${I}.read`,
    (state, args, self) => {
      const started = Date.now();
      const out = input(self).read(size(args[0], MAX_STREAM_READ));
      audit(state, 'input-stream.read', out.length, started);
      return out;
    },
  ],
  [
    `${I}.blockingRead`,
    async (state, args, self) => {
      const started = Date.now();
      const out = await input(self).blockingRead(size(args[0], MAX_STREAM_READ), state.signal);
      audit(state, 'input-stream.blocking-read', out.length, started);
      return out;
    },
  ],
  [
    `${I}.skip`,
    (_state, args, self) => BigInt(input(self).read(size(args[0], MAX_STREAM_READ)).length),
  ],
  [
    `${I}.blockingSkip`,
    async (state, args, self) =>
      BigInt((await input(self).blockingRead(size(args[0], MAX_STREAM_READ), state.signal)).length),
  ],
  [
    `${I}.subscribe`,
    (_state, _args, self) =>
      new NewResource(POLLABLE_TYPE, new PollableResource(input(self).readiness)),
  ],
  [`${O}.checkWrite`, (_state, _args, self) => BigInt(output(self).checkWrite())],
  [
    `${O}.write`,
    (state, args, self) => {
      const started = Date.now();
      const bytes = args[0] as Uint8Array;
      output(self).write(bytes);
      audit(state, 'output-stream.write', bytes.length, started);
    },
  ],
  [
    `${O}.blockingWriteAndFlush`,
    async (state, args, self) => {
      const started = Date.now();
      const bytes = args[0] as Uint8Array;
      if (bytes.length > OUTPUT_BUDGET)
        throw new Error(`blocking-write-and-flush takes at most ${OUTPUT_BUDGET} bytes`);
      await output(self).writeAll(bytes, state.signal);
      audit(state, 'output-stream.blocking-write-and-flush', bytes.length, started);
    },
  ],
  [
    `${O}.flush`,
    (_state, _args, self) => {
      // Bytes written go to the socket at once; a flush has nothing to start.
      output(self).checkWrite();
    },
  ],
  [`${O}.blockingFlush`, async (state, _args, self) => output(self).flushed(state.signal)],
  [
    `${O}.subscribe`,
    (_state, _args, self) => new NewResource(POLLABLE_TYPE, new PollableResource(output(self))),
  ],
  [
    `${O}.writeZeroes`,
    (_state, args, self) => output(self).write(new Uint8Array(size(args[0], OUTPUT_BUDGET))),
  ],
  [
    `${O}.blockingWriteZeroesAndFlush`,
    async (state, args, self) => {
      const n = size(args[0], Number.MAX_SAFE_INTEGER);
      if (n > OUTPUT_BUDGET)
        throw new Error(`blocking-write-zeroes-and-flush takes at most ${OUTPUT_BUDGET} bytes`);
      await output(self).writeAll(new Uint8Array(n), state.signal);
    },
  ],
  [
    `${O}.splice`,
    async (state, args, self) => {
      const started = Date.now();
      const n = await splice(state, output(self), args[0], args[1], false);
      audit(state, 'output-stream.splice', Number(n), started);
      return n;
    },
  ],
  [
    `${O}.blockingSplice`,
    async (state, args, self) => {
      const started = Date.now();
      const n = await splice(state, output(self), args[0], args[1], true);
      audit(state, 'output-stream.blocking-splice', Number(n), started);
      return n;
    },
  ],
];
