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

export const PROBE_WORLD = `package test:probe;
world probe {
  import astrid:io/poll@1.0.0;
  import astrid:sys/host@1.0.0;
  import astrid:ipc/host@1.0.0;
  use astrid:guest/lifecycle@1.0.0.{capsule-result};
  export astrid-hook-trigger: func(action: string, payload: list<u8>) -> capsule-result;
}
`;

/**
 * A many-purpose interceptor: the action names what to do, the payload
 * (JSON) carries arguments; the result data is JSON `{ok}` or `{err}`.
 */
export const PROBE_JS = `import { poll } from 'astrid:io/poll@1.0.0';
import * as sys from 'astrid:sys/host@1.0.0';
import * as ipc from 'astrid:ipc/host@1.0.0';
const subs = [];
let lastPollable = null;
const errTag = (e) => (e && e.payload && e.payload.tag) || ('trap:' + String(e && e.message || e));
const attempt = (fn) => { try { return { ok: fn() }; } catch (e) { return { err: errTag(e) }; } };
const msgs = (env) => env.messages.map((m) => ({ topic: m.topic, payload: m.payload, source: m.sourceId,
  principal: m.principal.tag === 'system' ? 'system' : m.principal.tag + ':' + m.principal.val }));
const actions = {
  echo: (a, raw) => raw,
  publish: (a) => attempt(() => { ipc.publish(a.topic, a.body); return 'ok'; }),
  publishBig: (a) => attempt(() => { ipc.publish(a.topic, JSON.stringify('x'.repeat(a.bytes))); return 'ok'; }),
  publishAs: (a) => attempt(() => { ipc.publishAs(a.topic, a.body, a.principal); return 'ok'; }),
  subscribe: (a) => attempt(() => { subs.push(ipc.subscribe(a.pattern)); return subs.length; }),
  subscribeMany: (a) => { let n = 0; for (;;) { try { subs.push(ipc.subscribe(a.pattern)); n++; } catch (e) { return { ok: n, err: errTag(e) }; } } },
  recv: (a) => attempt(() => msgs(subs[subs.length - 1].recv(BigInt(a.timeoutMs)))),
  poll: () => attempt(() => msgs(subs[subs.length - 1].poll())),
  subscribeRecv: (a) => attempt(() => {
    const sub = ipc.subscribe(a.pattern);
    const out = [];
    for (let i = 0; i < (a.times ?? 1); i++) {
      try { out.push(...msgs(sub.recv(BigInt(a.timeoutMs)))); } catch (e) { out.push({ error: errTag(e) }); }
    }
    const ready = sub.subscribeReadiness();
    const c = sys.getCaller();
    return { messages: out, readyAfter: ready.ready(), caller: c.principal ?? null };
  }),
  pollTwo: (a) => attempt(() => {
    const one = ipc.subscribe(a.p1);
    const two = ipc.subscribe(a.p2);
    const r1 = one.subscribeReadiness();
    const r2 = two.subscribeReadiness();
    const before = [r1.ready(), r2.ready()];
    const ready = Array.from(poll([r1, r2]));
    r2.block();
    return { before, ready, after: [r1.ready(), r2.ready()] };
  }),
  pollNone: () => attempt(() => Array.from(poll([]))),
  ready: () => attempt(() => { lastPollable = subs[subs.length - 1].subscribeReadiness(); return lastPollable.ready(); }),
  caller: () => { const c = sys.getCaller(); return { ok: { principal: c.principal ?? null, source: c.sourceId, timestamp: c.timestamp } }; },
  config: (a) => ({ ok: sys.getConfig(a.key) ?? null }),
  log: (a) => { sys.log(a.level, a.message); return { ok: 'logged' }; },
  bindings: () => ({ ok: ipc.getInterceptorBindings().map((b) => b.action + '@' + b.topic) }),
  caps: (a) => attempt(() => ({ mine: sys.enumerateCapabilities(), other: sys.checkCapsuleCapability({ sourceUuid: a.uuid, capability: a.cap }).allowed })),
  random: (a) => attempt(() => sys.randomBytes(BigInt(a.n)).length),
  sleep: (a) => attempt(() => { sys.sleepNs(BigInt(a.ms) * 1000000n); return 'slept'; }),
  clock: () => ({ ok: [Number(sys.clockMs()) > 1.7e12, typeof sys.clockMonotonicNs() === 'bigint'] }),
  spin: () => { let x = 0; for (;;) { x = (x + 1) | 0; } },
  membomb: () => { const keep = []; for (let i = 0; i < 100000; i++) keep.push(new Array(1 << 16).fill(i)); return { ok: keep.length }; },
  work: (a) => { let s = 0; for (let i = 0; i < a.n; i++) s = (s * 31 + i) % 1000003; return { ok: s }; },
  throw: () => { throw new Error('guest failure'); },
};
export function astridHookTrigger(action, payload) {
  const raw = new TextDecoder().decode(payload);
  if (action === 'deny') return { action: 'deny', data: raw || undefined };
  if (action === 'final') return { action: 'final', data: raw };
  const fn = actions[action];
  if (!fn) return { action: 'continue', data: JSON.stringify({ err: 'unknown action ' + action }) };
  const out = fn(raw ? JSON.parse(raw) : {}, raw);
  return { action: 'continue', data: typeof out === 'string' ? out : JSON.stringify(out) };
}
`;

export const LOOP_WORLD = `package test:loop;
world loop {
  import astrid:sys/host@1.0.0;
  import astrid:ipc/host@1.0.0;
  export run: func();
}
`;

/**
 * A run loop whose behaviour is chosen by its MODE config value: \`echo\`
 * republishes every message on loop.in.* to loop.out (with the sender's
 * principal); \`relay\` republishes each payload unchanged (for throughput);
 * \`spin\` signals ready and spins; \`return\` returns at once.
 */
export const LOOP_JS = `import * as sys from 'astrid:sys/host@1.0.0';
import * as ipc from 'astrid:ipc/host@1.0.0';
export function run() {
  const mode = sys.getConfig('MODE') ?? 'echo';
  if (mode === 'return') return;
  if (mode === 'spin') { sys.signalReady(); let x = 0; for (;;) { x = (x + 1) | 0; } }
  const sub = ipc.subscribe('loop.in.*');
  sys.signalReady();
  if (mode === 'relay') {
    for (;;) {
      let env;
      try { env = sub.recv(60000n); } catch (e) { continue; }
      for (const m of env.messages) ipc.publish('loop.out', m.payload);
    }
  }
  for (;;) {
    let env;
    try { env = sub.recv(60000n); } catch (e) { if (e && e.payload && e.payload.tag === 'timeout') continue; throw e; }
    for (const m of env.messages) {
      const who = m.principal.tag === 'system' ? 'system' : m.principal.val;
      ipc.publish('loop.out', JSON.stringify({ got: m.payload, who, caller: sys.getCaller().principal ?? null }));
    }
  }
}
`;

export const LIFE_WORLD = `package test:life;
world life {
  import astrid:sys/host@1.0.0;
  export astrid-install: func();
  export astrid-upgrade: func();
}
`;

/** Install logs a line; upgrade refuses. */
export const LIFE_JS = `import * as sys from 'astrid:sys/host@1.0.0';
export function astridInstall() { sys.log('info', 'install hook ran'); }
export function astridUpgrade() { throw new Error('upgrade refused by the capsule'); }
`;

export const BENCH_WORLD = `package test:bench;
world bench {
  use astrid:guest/lifecycle@1.0.0.{capsule-result};
  export astrid-hook-trigger: func(action: string, payload: list<u8>) -> capsule-result;
}
`;

/** The benchmark loop body shared by the component and the Extism plugin: parse n, iterate. */
const WORK_LOOP = `
    (block $done (loop $digits
      (br_if $done (i32.ge_u (local.get $i) (local.get $pl)))
      (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10))
        (i32.sub (call $byte (local.get $pp) (local.get $i)) (i32.const 48))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $digits)))
    (local.set $i (i32.const 0))
    (block $end (loop $work
      (br_if $end (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (i32.rem_u (i32.add (i32.mul (local.get $s) (i32.const 31)) (local.get $i)) (i32.const 1000003)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $work)))`;

/** A WAT component: `astrid-hook-trigger` parses the payload as n and runs the loop n times. */
export const BENCH_CORE_WAT = `(module
  (memory (export "memory") 2)
  (global $bump (mut i32) (i32.const 4096))
  (data (i32.const 16) "continue")
  (func $byte (param $base i32) (param $i i32) (result i32) (i32.load8_u (i32.add (local.get $base) (local.get $i))))
  (func (export "cabi_realloc") (param i32 i32) (param $align i32) (param $size i32) (result i32) (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))
      (i32.sub (i32.const 0) (local.get $align))))
    (global.set $bump (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $bump) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.add (i32.const 1)
        (i32.div_u (i32.sub (global.get $bump) (i32.mul (memory.size) (i32.const 65536))) (i32.const 65536)))))))
    (local.get $p))
  (func (export "astrid-hook-trigger") (param $ap i32) (param $al i32) (param $pp i32) (param $pl i32) (result i32)
    (local $n i32) (local $i i32) (local $s i32)${WORK_LOOP}
    (i32.store (i32.const 32) (i32.const 16))
    (i32.store (i32.const 36) (i32.const 8))
    (i32.store8 (i32.const 40) (i32.const 0))
    (i32.const 32))
  (func (export "cabi_post_astrid-hook-trigger") (param i32) (global.set $bump (i32.const 4096))))`;

/** The same work as an Extism plugin: input is n; returns 0. */
export const BENCH_EXTISM_WAT = `(module
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (memory (export "memory") 1)
  (func $byte (param $base i32) (param $i i32) (result i32) (call $input_load_u8 (i64.extend_i32_u (local.get $i))))
  (func (export "run") (result i32) (local $n i32) (local $i i32) (local $s i32) (local $pp i32) (local $pl i32)
    (local.set $pl (i32.wrap_i64 (call $input_length)))${WORK_LOOP}
    (i32.const 0)))`;

export const RELAY_WORLD = `package test:relay;
world relay {
  import astrid:sys/host@1.0.0;
  import astrid:ipc/host@1.0.0;
  export run: func();
}
`;

/**
 * A run loop written against the canonical ABI directly, as a compiled
 * (Rust, C, Go) capsule would be: subscribe to `loop.in.*`, signal ready,
 * then forever `recv` a batch and `publish` each payload unchanged on
 * `loop.out`. A failed publish traps, so a lost message cannot go unnoticed.
 * Layouts: `result<subscription, error-code>` = tag@0, handle@4;
 * `result<ipc-envelope, error-code>` = tag@0, messages ptr@8 len@12;
 * `ipc-message` = 36 bytes with payload ptr@8 len@12.
 */
export const RELAY_CORE_WAT = `(module
  (import "astrid:ipc/host@1.0.0" "subscribe" (func $subscribe (param i32 i32 i32)))
  (import "astrid:ipc/host@1.0.0" "[method]subscription.recv" (func $recv (param i32 i64 i32)))
  (import "astrid:ipc/host@1.0.0" "publish" (func $publish (param i32 i32 i32 i32 i32)))
  (import "astrid:sys/host@1.0.0" "signal-ready" (func $ready))
  (memory (export "memory") 2)
  (global $bump (mut i32) (i32.const 4096))
  (data (i32.const 64) "loop.in.*")
  (data (i32.const 80) "loop.out")
  (func (export "cabi_realloc") (param i32 i32) (param $align i32) (param $size i32) (result i32) (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))
      (i32.sub (i32.const 0) (local.get $align))))
    (global.set $bump (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $bump) (i32.mul (memory.size) (i32.const 65536)))
      (then (if (i32.lt_s (memory.grow (i32.add (i32.const 1)
        (i32.div_u (i32.sub (global.get $bump) (i32.mul (memory.size) (i32.const 65536))) (i32.const 65536))))
        (i32.const 0)) (then unreachable))))
    (local.get $p))
  (func (export "run") (local $sub i32) (local $ptr i32) (local $len i32) (local $i i32) (local $m i32)
    (call $subscribe (i32.const 64) (i32.const 9) (i32.const 256))
    (if (i32.load8_u (i32.const 256)) (then unreachable))
    (local.set $sub (i32.load (i32.const 260)))
    (call $ready)
    (loop $forever
      (global.set $bump (i32.const 4096))
      (call $recv (local.get $sub) (i64.const 60000) (i32.const 512))
      (if (i32.eqz (i32.load8_u (i32.const 512)))
        (then
          (local.set $ptr (i32.load (i32.const 520)))
          (local.set $len (i32.load (i32.const 524)))
          (local.set $i (i32.const 0))
          (block $done (loop $each
            (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
            (local.set $m (i32.add (local.get $ptr) (i32.mul (local.get $i) (i32.const 36))))
            (call $publish (i32.const 80) (i32.const 8)
              (i32.load offset=8 (local.get $m)) (i32.load offset=12 (local.get $m)) (i32.const 768))
            (if (i32.load8_u (i32.const 768)) (then unreachable))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $each)))))
      (br $forever))))`;

export const CHAIN_WORLD = `package test:chain;
world chain {
  import astrid:sys/host@1.0.0;
  import astrid:ipc/host@1.0.0;
  use astrid:guest/lifecycle@1.0.0.{capsule-result};
  export astrid-hook-trigger: func(action: string, payload: list<u8>) -> capsule-result;
}
`;

/**
 * One interceptor component for many fixture capsules; the action name picks
 * the behaviour and the capsule's config (TAG, RELAY_TO, GREETING) shapes it.
 * Every action reports what it saw on `chain.seen`: its TAG, the payload,
 * the caller's principal and its GREETING config.
 * `tag` appends TAG to `body.trail` and continues with the new body;
 * `final` and `deny` stop a chain; `trap` throws; `relay` republishes the
 * body on RELAY_TO; anything else just reports.
 */
export const CHAIN_JS = `import * as sys from 'astrid:sys/host@1.0.0';
import * as ipc from 'astrid:ipc/host@1.0.0';
const dec = new TextDecoder();
function seen(kind, body) {
  const c = sys.getCaller();
  ipc.publish('chain.seen', JSON.stringify({ tag: sys.getConfig('TAG') ?? '', kind, body, principal: c.principal ?? null, greeting: sys.getConfig('GREETING') ?? null }));
}
export function astridHookTrigger(action, payload) {
  const raw = dec.decode(payload);
  let body;
  try { body = JSON.parse(raw); } catch (e) { body = { raw }; }
  if (body === null || typeof body !== 'object') body = { value: body };
  const tag = sys.getConfig('TAG') ?? '';
  switch (action) {
    case 'tag': {
      body.trail = [...(body.trail ?? []), tag];
      seen('tag', body);
      return { action: 'continue', data: JSON.stringify(body) };
    }
    case 'final': seen('final', body); return { action: 'final', data: JSON.stringify(body) };
    case 'deny': seen('deny', body); return { action: 'deny', data: 'denied by ' + tag };
    case 'trap': throw new Error('trap requested');
    case 'relay': {
      ipc.publish(sys.getConfig('RELAY_TO') ?? 'chain.relayed', JSON.stringify(body));
      seen('relay', body);
      return { action: 'continue' };
    }
    default: seen(action, body); return { action: 'continue' };
  }
}
`;

export const ECHO_HOOK_WORLD = `package test:echo;
world echo {
  import astrid:ipc/host@1.0.0;
  use astrid:guest/lifecycle@1.0.0.{capsule-result};
  export astrid-hook-trigger: func(action: string, payload: list<u8>) -> capsule-result;
}
`;

/**
 * A compiled-style interceptor: republishes its payload on `bench.out` and
 * continues. Traps if the publish fails, so nothing is lost silently.
 */
export const ECHO_HOOK_WAT = `(module
  (import "astrid:ipc/host@1.0.0" "publish" (func $publish (param i32 i32 i32 i32 i32)))
  (memory (export "memory") 2)
  (global $bump (mut i32) (i32.const 4096))
  (data (i32.const 16) "continue")
  (data (i32.const 64) "bench.out")
  (func (export "cabi_realloc") (param i32 i32) (param $align i32) (param $size i32) (result i32) (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))
      (i32.sub (i32.const 0) (local.get $align))))
    (global.set $bump (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $bump) (i32.mul (memory.size) (i32.const 65536)))
      (then (if (i32.lt_s (memory.grow (i32.add (i32.const 1)
        (i32.div_u (i32.sub (global.get $bump) (i32.mul (memory.size) (i32.const 65536))) (i32.const 65536))))
        (i32.const 0)) (then unreachable))))
    (local.get $p))
  (func (export "astrid-hook-trigger") (param $ap i32) (param $al i32) (param $pp i32) (param $pl i32) (result i32)
    (call $publish (i32.const 64) (i32.const 9) (local.get $pp) (local.get $pl) (i32.const 128))
    (if (i32.load8_u (i32.const 128)) (then unreachable))
    (i32.store (i32.const 32) (i32.const 16))
    (i32.store (i32.const 36) (i32.const 8))
    (i32.store8 (i32.const 40) (i32.const 0))
    (i32.const 32))
  (func (export "cabi_post_astrid-hook-trigger") (param i32) (global.set $bump (i32.const 4096))))`;

export const HOSTS_WORLD = `package test:hosts;
world hosts {
  import astrid:sys/host@1.0.0;
  import astrid:kv/host@1.0.0;
  import astrid:fs/host@1.0.0;
  import astrid:identity/host@1.0.0;
  import astrid:approval/host@1.0.0;
  import astrid:elicit/host@1.0.0;
  import astrid:uplink/host@1.0.0;
  use astrid:guest/lifecycle@1.0.0.{capsule-result};
  export astrid-hook-trigger: func(action: string, payload: list<u8>) -> capsule-result;
}
`;

/**
 * Calls the kv, fs, identity, approval, elicit and uplink hosts by action
 * name with JSON arguments; answers {ok} or {err: <error-code tag>, detail}.
 */
export const HOSTS_JS = `import * as kv from 'astrid:kv/host@1.0.0';
import * as fs from 'astrid:fs/host@1.0.0';
import * as identity from 'astrid:identity/host@1.0.0';
import * as approval from 'astrid:approval/host@1.0.0';
import * as elicit from 'astrid:elicit/host@1.0.0';
import * as uplink from 'astrid:uplink/host@1.0.0';
const enc = new TextEncoder();
const dec = new TextDecoder();
const handles = [];
const errTag = (e) => (e && e.payload && e.payload.tag) || ('trap:' + String((e && e.message) || e));
const attempt = (fn) => { try { return { ok: fn() }; } catch (e) { return { err: errTag(e) }; } };
const num = (v) => (typeof v === 'bigint' ? Number(v) : v);
const stat = (s) => ({ size: num(s.size), kind: s.kind, hasModified: s.modified !== undefined });
const actions = {
  kvSet: (a) => attempt(() => { kv.kvSet(a.key, enc.encode(a.value)); return 'ok'; }),
  kvSetSize: (a) => attempt(() => { kv.kvSet(a.key, new Uint8Array(a.size)); return 'ok'; }),
  kvGet: (a) => attempt(() => { const v = kv.kvGet(a.key); return v === undefined ? null : dec.decode(v); }),
  kvDelete: (a) => attempt(() => { kv.kvDelete(a.key); return 'ok'; }),
  kvList: (a) => attempt(() => kv.kvListKeys(a.prefix)),
  kvPage: (a) => attempt(() => {
    const p = kv.kvListKeysPage(a.prefix, a.cursor === null ? undefined : a.cursor, a.limit);
    return { n: p.keys.length, first: p.keys[0] ?? null, last: p.keys[p.keys.length - 1] ?? null, next: p.nextCursor ?? null };
  }),
  kvClear: (a) => attempt(() => num(kv.kvClearPrefix(a.prefix))),
  kvCas: (a) => attempt(() => { kv.kvCas(a.key, a.expected === null ? undefined : enc.encode(a.expected), enc.encode(a.value)); return 'ok'; }),
  kvFill: (a) => attempt(() => { for (let i = 0; i < a.n; i++) kv.kvSet(a.prefix + String(i).padStart(5, '0'), enc.encode('v')); return a.n; }),
  read: (a) => attempt(() => dec.decode(fs.readFile(a.path))),
  write: (a) => attempt(() => { fs.writeFile(a.path, enc.encode(a.content)); return 'ok'; }),
  writeSize: (a) => attempt(() => { fs.writeFile(a.path, new Uint8Array(a.size)); return 'ok'; }),
  append: (a) => attempt(() => { fs.fsAppend(a.path, enc.encode(a.content)); return 'ok'; }),
  exists: (a) => attempt(() => fs.fsExists(a.path)),
  mkdir: (a) => attempt(() => { fs.fsMkdir(a.path); return 'ok'; }),
  mkdirAll: (a) => attempt(() => { fs.fsMkdirAll(a.path); return 'ok'; }),
  readdir: (a) => attempt(() => fs.fsReaddir(a.path)),
  stat: (a) => attempt(() => stat(fs.fsStat(a.path))),
  statSymlink: (a) => attempt(() => stat(fs.fsStatSymlink(a.path))),
  unlink: (a) => attempt(() => { fs.fsUnlink(a.path); return 'ok'; }),
  copy: (a) => attempt(() => { fs.fsCopy(a.src, a.dst); return 'ok'; }),
  rename: (a) => attempt(() => { fs.fsRename(a.src, a.dst); return 'ok'; }),
  removeAll: (a) => attempt(() => num(fs.fsRemoveDirAll(a.path))),
  canonicalize: (a) => attempt(() => fs.fsCanonicalize(a.path)),
  readLink: (a) => attempt(() => fs.fsReadLink(a.path)),
  hardLink: (a) => attempt(() => { fs.fsHardLink(a.src, a.dst); return 'ok'; }),
  handle: (a) => attempt(() => {
    const h = fs.fsOpen(a.path, a.mode);
    const out = {};
    if (a.write !== undefined) out.wrote = h.writeAt(BigInt(a.offset ?? 0), enc.encode(a.write));
    if (a.setLen !== undefined) h.setLen(BigInt(a.setLen));
    if (a.sync) { h.syncData(); h.syncAll(); }
    if (a.read !== undefined) out.read = dec.decode(h.readAt(BigInt(a.readOffset ?? 0), a.read));
    out.stat = stat(h.stat());
    return out;
  }),
  handleErr: (a) => attempt(() => {
    const h = fs.fsOpen(a.path, a.mode);
    if (a.op === 'write') h.writeAt(0n, enc.encode('x'));
    if (a.op === 'bigRead') h.readAt(0n, 2 * 1024 * 1024);
    return 'no error';
  }),
  openMany: (a) => { let n = 0; for (;;) { try { handles.push(fs.fsOpen(a.path, 'read')); n++; } catch (e) { handles.length = 0; return { ok: n, err: errTag(e) }; } } },
  createUser: (a) => attempt(() => identity.identityCreateUser({ displayName: a.name ?? undefined }).userId),
  link: (a) => attempt(() => { identity.identityLink({ platform: a.platform, platformUserId: a.id, astridUserId: a.user, method: a.method ?? 'test' }); return 'ok'; }),
  resolve: (a) => attempt(() => identity.identityResolve({ platform: a.platform, platformUserId: a.id })),
  idUnlink: (a) => attempt(() => { identity.identityUnlink({ platform: a.platform, platformUserId: a.id }); return 'ok'; }),
  links: (a) => attempt(() => identity.identityListLinks(a.user).map((l) => l.platform + '/' + l.platformUserId + ':' + l.method)),
  approve: (a) => attempt(() => approval.requestApproval({ action: a.action, targetResource: a.resource }).decision),
  elicit: (a) => attempt(() => elicit.elicit({ kind: a.kind, key: a.key, description: a.description ?? '', options: a.options ?? undefined, defaultValue: a.defaultValue ?? undefined })),
  hasSecret: (a) => attempt(() => elicit.hasSecret(a.key)),
  uplinkRegister: (a) => attempt(() => uplink.uplinkRegister(a.name, a.platform, a.profile)),
  uplinkSend: (a) => attempt(() => uplink.uplinkSend(a.id, a.user, a.content)),
  uplinkMany: (a) => { let n = 0; for (;;) { try { uplink.uplinkRegister('u' + n, a.platform, 'chat'); n++; } catch (e) { return { ok: n, err: errTag(e) }; } } },
};
export function astridHookTrigger(action, payload) {
  const fn = actions[action];
  const args = payload.length > 0 ? JSON.parse(dec.decode(payload)) : {};
  const out = fn ? fn(args) : { err: 'unknown action ' + action };
  return { action: 'continue', data: JSON.stringify(out) };
}
`;
