// Component pipeline: transpile + instrument time for a ~12 MB ComponentizeJS
// component (first build and cached load), and the instrumentation overhead
// on CPU-bound guests as the ratio instrumented / uninstrumented time.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeteredInstance } from '../src/capsule/engines/wasm/instance/metered-instance.js';
import {
  compileArtifacts,
  GLUE_FILE,
  prepareArtifacts,
} from '../src/capsule/engines/wasm/pipeline/artifacts/artifact-store.js';
import { instrumentModule } from '../src/capsule/engines/wasm/pipeline/instrument/instrument-module.js';
import { transpileComponent } from '../src/capsule/engines/wasm/pipeline/transpile/transpile-component.js';
import { blake3Hex } from '../src/storage/files/content-hash.js';
import { componentFromJs, coreFromWat } from '../test/helpers/components.js';
import { HOOK_JS, HOOK_WORLD, hookImports } from '../test/helpers/guests.js';
import { median, report } from './lib/measure.js';

const work = await mkdtemp(join(tmpdir(), 'astrid-bench-pipeline-'));
try {
  // --- transpile + instrument -----------------------------------------------
  const component = await componentFromJs(HOOK_JS, HOOK_WORLD, 'hook');
  const hash = await blake3Hex(component);
  const firsts: number[] = [];
  const cachedTimes: number[] = [];
  for (let run = 0; run < 3; run++) {
    const lib = join(work, `lib${run}`);
    let t = performance.now();
    await prepareArtifacts(lib, hash, component);
    firsts.push(performance.now() - t);
    t = performance.now();
    const cached = await prepareArtifacts(lib, hash, component);
    cachedTimes.push(performance.now() - t);
    if (cached.built) throw new Error('cache miss');
  }
  const mb = (component.length / 1e6).toFixed(1);
  report(
    'pipeline_first_build',
    median(firsts),
    'ms',
    `${mb} MB ComponentizeJS component: transpile + instrument + write`,
  );
  report('pipeline_cached_load', median(cachedTimes), 'ms', 'artifact manifest check');
  const transpileTimes: number[] = [];
  const instrumentTimes: number[] = [];
  for (let run = 0; run < 3; run++) {
    let t = performance.now();
    const out = await transpileComponent(component);
    transpileTimes.push(performance.now() - t);
    t = performance.now();
    for (const bytes of out.coreModules.values()) instrumentModule(bytes);
    instrumentTimes.push(performance.now() - t);
  }
  report('pipeline_transpile', median(transpileTimes), 'ms', 'jco-transpile');
  report('pipeline_instrument', median(instrumentTimes), 'ms', 'all core modules');

  // --- overhead on CPU-bound WAT guests --------------------------------------
  const wat = {
    loop_sum: {
      text: `(module (func (export "f") (param $n i32) (result i32) (local $i i32) (local $s i32)
        (block $d (loop $t (br_if $d (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $s (i32.add (local.get $s) (local.get $i)))
          (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $t))) (local.get $s)))`,
      arg: 5_000_000,
    },
    hash_memory: {
      text: `(module (memory 4) (func (export "f") (param $n i32) (result i32) (local $i i32) (local $h i32) (local $r i32)
        (local.set $h (i32.const -2128831035))
        (loop $rounds
          (local.set $i (i32.const 0))
          (loop $bytes
            (local.set $h (i32.mul (i32.xor (local.get $h) (i32.load8_u (local.get $i))) (i32.const 16777619)))
            (i32.store8 (local.get $i) (local.get $h))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $bytes (i32.lt_u (local.get $i) (i32.const 65536))))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br_if $rounds (i32.lt_u (local.get $r) (local.get $n))))
        (local.get $h)))`,
      arg: 60,
    },
    fib_recursive: {
      text: `(module (func $fib (export "f") (param $n i32) (result i32)
        (if (result i32) (i32.lt_u (local.get $n) (i32.const 2)) (then (local.get $n))
          (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1))) (call $fib (i32.sub (local.get $n) (i32.const 2))))))))`,
      arg: 27,
    },
    interpreter: {
      text: `(module (func (export "f") (param $steps i32) (result i32) (local $pc i32) (local $acc i32)
        (loop $next
          (block $op3 (block $op2 (block $op1 (block $op0
            (br_table $op0 $op1 $op2 $op3 (i32.and (i32.add (local.get $pc) (local.get $acc)) (i32.const 3))))
            (local.set $acc (i32.add (local.get $acc) (i32.const 3))) (br $op3))
            (local.set $acc (i32.xor (local.get $acc) (i32.const 0x5a5a))) (br $op3))
            (local.set $acc (i32.rotl (local.get $acc) (i32.const 1))))
          (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
          (br_if $next (i32.lt_u (local.get $pc) (local.get $steps))))
        (local.get $acc)))`,
      arg: 5_000_000,
    },
  };
  const timeCall = (fn: () => void, runs = 9) => {
    for (let i = 0; i < 3; i++) fn();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      fn();
      times.push(performance.now() - t);
    }
    return median(times);
  };
  const ratios: number[] = [];
  for (const [name, g] of Object.entries(wat)) {
    const raw = await coreFromWat(g.text);
    const inst = instrumentModule(raw);
    const a = new WebAssembly.Instance(new WebAssembly.Module(raw)).exports as Record<
      string,
      (n: number) => number
    >;
    const bi = new WebAssembly.Instance(new WebAssembly.Module(inst.bytes));
    const b = bi.exports as Record<string, (n: number) => number>;
    const fuel = bi.exports['astrid:fuel'] as WebAssembly.Global;
    if (a.f?.(g.arg) !== b.f?.(g.arg)) throw new Error(`${name}: results differ`);
    const tRaw = timeCall(() => a.f?.(g.arg));
    const tInst = timeCall(() => {
      fuel.value = 1_000_000_000_000n;
      b.f?.(g.arg);
    });
    const ratio = tInst / tRaw;
    ratios.push(ratio);
    report(
      `instrument_overhead_wat_${name}`,
      ratio,
      'x',
      `${tRaw.toFixed(2)} ms → ${tInst.toFixed(2)} ms; target ≤ 1.25`,
    );
  }
  const geo = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
  report('instrument_overhead_wat_geomean', geo, 'x', `${ratios.length} WAT guests; target ≤ 1.25`);

  // --- overhead on a CPU-bound JS guest (ComponentizeJS) ----------------------
  const artifacts = await prepareArtifacts(join(work, 'lib-js'), hash, component);
  const metered = await MeteredInstance.create(
    join(artifacts.dir, GLUE_FILE),
    await compileArtifacts(artifacts),
    hookImports([]),
  );
  const plain = await transpileComponent(component);
  const plainDir = join(work, 'plain');
  await import('node:fs/promises').then((fs) => fs.mkdir(plainDir));
  await writeFile(join(plainDir, GLUE_FILE), plain.glue);
  const plainModules = new Map(
    [...plain.coreModules].map(([n, b]) => [n, new WebAssembly.Module(b)]),
  );
  const glue = (await import(join(plainDir, GLUE_FILE))) as {
    instantiate: (
      g: (n: string) => WebAssembly.Module,
      i: unknown,
      c: (m: WebAssembly.Module, i?: WebAssembly.Imports) => WebAssembly.Instance,
    ) => Record<string, (a: string, p: Uint8Array) => unknown>;
  };
  const ref = glue.instantiate(
    (n) => plainModules.get(n) as WebAssembly.Module,
    { 'astrid:sys/host': hookImports([])['astrid:sys/host@1.0.0'] },
    (m, i) => new WebAssembly.Instance(m, i),
  );
  const payload = Buffer.from('200000');
  const hook = metered.exports.astridHookTrigger as (a: string, p: Uint8Array) => unknown;
  const tRef = timeCall(() => ref.astridHookTrigger?.('continue', payload), 15);
  const tMet = timeCall(() => {
    metered.setFuel(100_000_000_000n);
    hook('continue', payload);
  }, 15);
  report(
    'instrument_overhead_js',
    tMet / tRef,
    'x',
    `200k-iteration JS loop in StarlingMonkey: ${tRef.toFixed(2)} ms → ${tMet.toFixed(2)} ms; target ≤ 1.25`,
  );
  metered.setFuel(100_000_000_000n);
  hook('continue', payload);
  report(
    'fuel_per_js_call',
    Number(metered.fuelUsed(100_000_000_000n)),
    'fuel',
    'same call; deterministic',
  );
} finally {
  await rm(work, { recursive: true, force: true });
}
