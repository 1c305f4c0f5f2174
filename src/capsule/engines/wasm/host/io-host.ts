import type { HostFunction } from './host-dispatcher.js';
import { MissingResource } from './host-dispatcher.js';
import { HostError } from './host-error.js';
import { POLLABLE_TYPE, PollableResource, waitAny } from './readiness.js';

const POLL = 'astrid:io/poll@1.0.0';
const ERROR = 'astrid:io/error@1.0.0';
export const MAX_POLLABLES = 256;

function audit(
  state: Parameters<HostFunction>[0],
  fn: string,
  fields: Record<string, unknown>,
): void {
  state.host.logger.debug(
    {
      audit: 'astrid.audit.io',
      capsule_id: state.host.capsuleId,
      principal: state.effectivePrincipal,
      fn,
      ...fields,
    },
    'host call',
  );
}

/** `astrid:io/poll` and `astrid:io/error`: real readiness over host sources. */
export const IO_HOST: ReadonlyArray<readonly [string, HostFunction]> = [
  [
    `${POLL}#Pollable.ready`,
    (_state, _args, self) => (self instanceof PollableResource ? self.source.ready() : true),
  ],
  [
    `${POLL}#Pollable.block`,
    async (state, _args, self) => {
      const started = Date.now();
      if (state.host.cancel.aborted) throw new HostError('cancelled');
      if (!(self instanceof PollableResource)) return undefined;
      try {
        await waitAny([self.source], state.host.cancel);
      } catch {
        throw new HostError('cancelled');
      } finally {
        audit(state, `${POLL}.block`, { elapsed_ms: Date.now() - started });
      }
      return undefined;
    },
  ],
  [
    `${POLL}#poll`,
    async (state, args) => {
      const started = Date.now();
      const list = args[0];
      if (!Array.isArray(list) || list.length === 0)
        throw new HostError('invalid-input', 'poll needs at least one pollable');
      if (list.length > MAX_POLLABLES) {
        throw new HostError(
          'too-large',
          `poll takes at most ${MAX_POLLABLES} pollables (got ${list.length})`,
        );
      }
      if (state.host.cancel.aborted) throw new HostError('cancelled');
      const sources = list.map((p) => {
        if (p instanceof MissingResource || !(p instanceof PollableResource)) {
          throw new HostError(
            'invalid-input',
            'poll was given something that is not a live pollable',
          );
        }
        return p.source;
      });
      try {
        await waitAny(sources, state.host.cancel);
      } catch {
        throw new HostError('cancelled');
      }
      const ready: number[] = [];
      sources.forEach((s, i) => {
        if (s.ready()) ready.push(i);
      });
      audit(state, `${POLL}.poll`, {
        count: sources.length,
        ready: ready.length,
        elapsed_ms: Date.now() - started,
      });
      return Uint32Array.from(ready);
    },
  ],
  [
    `${ERROR}#Error.toDebugString`,
    (_state, _args, self) => (self === undefined ? 'error resource not found' : String(self)),
  ],
];

export { POLLABLE_TYPE };
