/** Guests shared by pipeline tests and benchmarks. */

export const HOOK_WORLD = `package test:guest;
world hook {
  import astrid:sys/host@1.0.0;
  use astrid:guest/lifecycle@1.0.0.{capsule-result};
  export astrid-hook-trigger: func(action: string, payload: list<u8>) -> capsule-result;
}
`;

/**
 * A CPU-bound JS interceptor: the payload is an iteration count; it returns a
 * checksum, and logs through the host when asked.
 */
export const HOOK_JS = `import { log } from 'astrid:sys/host@1.0.0';
export function astridHookTrigger(action, payload) {
  let n = 0;
  for (const b of payload) n = n * 10 + (b - 48);
  let s = 0;
  const words = [];
  for (let i = 0; i < n; i++) {
    s = (s * 31 + i * i) % 1000003;
    if (i % 97 === 0) words.push(String(s));
  }
  const data = s + ':' + words.join(',').length;
  if (action === 'log') log('info', 'checksum ' + data);
  if (action === 'deny') return { action: 'deny', data: 'no' };
  return { action: 'continue', data };
}
`;

/** Host imports for HOOK_WORLD that record log lines. */
export function hookImports(logs: string[]): Record<string, Record<string, unknown>> {
  return {
    'astrid:sys/host@1.0.0': {
      log: (level: string, message: string) => logs.push(`${level} ${message}`),
      getConfig: () => undefined,
      getCaller: () => ({ principal: undefined, sourceId: '', timestamp: '' }),
      signalReady: () => {},
      clockMs: () => 0n,
      clockMonotonicNs: () => 0n,
      sleepNs: () => {},
      randomBytes: () => new Uint8Array(0),
      checkCapsuleCapability: () => ({ allowed: false }),
      enumerateCapabilities: () => [],
    },
  };
}
