import { describe, expect, it } from 'vitest';
import { coreFromWat } from '../../../../../../test/helpers/components.js';
import {
  FUEL_EXPORT,
  instrumentModule,
  MEM_CAP_EXPORT,
  MEM_PEAK_EXPORT,
  UNCAPPED_PAGES,
} from './instrument-module.js';

type Fn = (...args: unknown[]) => unknown;

interface Case {
  readonly name: string;
  /** WAT text, or a binary for features the text parser no longer accepts. */
  readonly wat: string | (() => Uint8Array);
  /** Export name and argument lists to compare. */
  readonly calls: ReadonlyArray<readonly [string, ...unknown[]]>;
  readonly imports?: () => WebAssembly.Imports;
}

// A corpus covering the instruction families of current toolchains.
const CASES: Case[] = [
  {
    name: 'loop',
    wat: `(module (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $s i32)
      (block $done (loop $top
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.add (local.get $s) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
      (local.get $s)))`,
    calls: [
      ['sum', 0],
      ['sum', 1],
      ['sum', 1000],
      ['sum', 100000],
    ],
  },
  {
    name: 'recursion',
    wat: `(module (func $fib (export "fib") (param $n i32) (result i32)
      (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
        (then (local.get $n))
        (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                       (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
      (func (export "early") (param i32) (result i32)
        (block $b (br_if $b (local.get 0)) (return (i32.const 7))) (i32.const 9)))`,
    calls: [
      ['fib', 0],
      ['fib', 1],
      ['fib', 20],
      ['early', 0],
      ['early', 1],
    ],
  },
  {
    name: 'memory growth',
    wat: `(module (memory (export "mem") 1 100)
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "size") (result i32) (memory.size))
      (func (export "fill") (param $pages i32) (result i32) (local $i i32)
        (drop (memory.grow (local.get $pages)))
        (loop $l (i32.store8 (local.get $i) (local.get $i))
          (local.set $i (i32.add (local.get $i) (i32.const 4096)))
          (br_if $l (i32.lt_u (local.get $i) (i32.mul (memory.size) (i32.const 65536)))))
        (i32.load8_u (i32.const 4096))))`,
    calls: [['grow', 2], ['size'], ['grow', 0], ['fill', 3], ['grow', 1000], ['size']],
  },
  {
    name: 'SIMD',
    wat: `(module (memory 1)
      (func (export "dot") (param $n i32) (result i32) (local $acc v128) (local $i i32)
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (loop $l
          (v128.store (i32.const 0) (i32x4.splat (local.get $i)))
          (local.set $acc (i32x4.add (local.get $acc) (i32x4.mul (v128.load (i32.const 0)) (v128.const i32x4 1 2 3 4))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
        (i32.add (i32x4.extract_lane 0 (local.get $acc))
          (i32x4.extract_lane 3 (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0 (local.get $acc) (local.get $acc)))))
      (func (export "lane") (result i32)
        (v128.store32_lane 1 (i32.const 16) (v128.const i32x4 5 6 7 8))
        (i32.load (i32.const 16))))`,
    calls: [['dot', 1], ['dot', 50], ['lane']],
  },
  {
    name: 'bulk memory',
    wat: `(module (memory 1) (data $d "hello, bulk memory")
      (func (export "run") (result i32)
        (memory.fill (i32.const 100) (i32.const 42) (i32.const 50))
        (memory.init $d (i32.const 200) (i32.const 0) (i32.const 18))
        (memory.copy (i32.const 300) (i32.const 200) (i32.const 18))
        (data.drop $d)
        (i32.add (i32.load8_u (i32.const 149)) (i32.load8_u (i32.const 307)))))`,
    calls: [['run']],
  },
  {
    name: 'multi-value',
    wat: `(module
      (func $pair (param i32) (result i32 i32) (local.get 0) (i32.mul (local.get 0) (i32.const 2)))
      (func (export "swap") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
      (func (export "sum3") (param $n i32) (result i32)
        (i32.const 0) (local.get $n)
        (loop $l (param i32 i32) (result i32 i32)
          (local.set $n) (i32.add (local.get $n))
          (local.get $n) (i32.sub (i32.const 1))
          (local.tee $n) (br_if $l (i32.ne (local.get $n) (i32.const 0))))
        (drop))
      (func (export "pairsum") (param i32) (result i32) (i32.add (call $pair (local.get 0)))))`,
    calls: [
      ['swap', 1, 2],
      ['sum3', 10],
      ['pairsum', 21],
    ],
  },
  {
    name: 'reference types and tables',
    wat: `(module (table $t 2 funcref) (elem (table $t) (i32.const 0) func $a $b)
      (type $f (func (result i32)))
      (func $a (result i32) (i32.const 11)) (func $b (result i32) (i32.const 22))
      (func (export "dispatch") (param i32) (result i32) (call_indirect (type $f) (local.get 0)))
      (func (export "tables") (result i32)
        (drop (table.grow $t (ref.null func) (i32.const 3)))
        (table.set $t (i32.const 4) (ref.func $a))
        (i32.add (table.size $t) (ref.is_null (table.get $t (i32.const 3))))))`,
    calls: [['dispatch', 0], ['dispatch', 1], ['tables']],
  },
  {
    name: 'sign extension and saturating conversions',
    wat: `(module
      (func (export "ext") (param i32) (result i32) (i32.extend8_s (local.get 0)))
      (func (export "ext64") (param i64) (result i64) (i64.extend32_s (local.get 0)))
      (func (export "sat") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0))))`,
    calls: [
      ['ext', 255],
      ['ext64', 0xffffffffn],
      ['sat', 1e20],
      ['sat', -3.7],
    ],
  },
  {
    name: 'br_table dispatch loop',
    wat: `(module (func (export "interp") (param $steps i32) (result i32) (local $pc i32) (local $acc i32)
      (loop $next
        (block $op2 (block $op1 (block $op0
          (br_table $op0 $op1 $op2 (i32.rem_u (local.get $pc) (i32.const 3))))
          (local.set $acc (i32.add (local.get $acc) (i32.const 3))) (br $op2))
          (local.set $acc (i32.mul (local.get $acc) (i32.const 2))))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $pc) (local.get $steps))))
      (local.get $acc)))`,
    calls: [
      ['interp', 1],
      ['interp', 30],
    ],
  },
  {
    // Legacy exception handling (what Node 20's engine runs); hand-assembled
    // because current WAT parsers only accept try_table.
    name: 'exception handling',
    wat: legacyExceptionModule,
    calls: [
      ['catch', 5],
      ['catch', 7],
    ],
  },
  {
    name: 'imports, globals and a start function',
    wat: `(module (import "env" "add" (func $add (param i32 i32) (result i32)))
      (import "env" "base" (global $base i32))
      (global $g (mut i32) (i32.const 0)) (global $c i64 (i64.const 9))
      (func $init (global.set $g (i32.const 5)))
      (start $init)
      (func (export "use") (param i32) (result i32)
        (global.set $g (call $add (global.get $g) (local.get 0)))
        (i32.add (global.get $g) (global.get $base))))`,
    calls: [
      ['use', 1],
      ['use', 10],
    ],
    imports: () => ({
      env: {
        add: (a: number, b: number) => a + b,
        base: new WebAssembly.Global({ value: 'i32' }, 100),
      },
    }),
  },
];

/**
 * (tag $e (param i32))
 * (func $thrower (param i32) local.get 0 throw $e)
 * (func (export "catch") (param i32) (result i32)
 *   try (result i32) local.get 0 call $thrower i32.const -1 catch $e i32.const 1000 i32.add end)
 */
function legacyExceptionModule(): Uint8Array {
  const section = (id: number, payload: number[]) => [id, payload.length, ...payload];
  const body = (code: number[]) => [code.length + 1, 0, ...code];
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [2, 0x60, 1, 0x7f, 0, 0x60, 1, 0x7f, 1, 0x7f]),
    ...section(3, [2, 0, 1]),
    ...section(13, [1, 0, 0]),
    ...section(7, [1, 5, ...Buffer.from('catch'), 0, 1]),
    ...section(10, [
      2,
      ...body([0x20, 0, 0x08, 0, 0x0b]),
      ...body([
        0x06, 0x7f, 0x20, 0, 0x10, 0, 0x41, 0x7f, 0x07, 0, 0x41, 0xe8, 0x07, 0x6a, 0x0b, 0x0b,
      ]),
    ]),
  ]);
}

async function pair(c: Case) {
  const raw = typeof c.wat === 'string' ? await coreFromWat(c.wat) : c.wat();
  const inst = instrumentModule(raw);
  return { raw, inst };
}

function run(bytes: Uint8Array, c: Case): { results: unknown[]; instance: WebAssembly.Instance } {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), c.imports?.() ?? {});
  const results = c.calls.map(([name, ...args]) => {
    try {
      return (instance.exports[name] as Fn)(...args);
    } catch (e) {
      return `trap: ${(e as Error).message}`;
    }
  });
  return { results, instance };
}

const fuelOf = (i: WebAssembly.Instance) => i.exports[FUEL_EXPORT] as WebAssembly.Global;

describe('instrumentModule: behaviour is unchanged with ample fuel and memory', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { raw, inst } = await pair(c);
    expect(WebAssembly.validate(inst.bytes)).toBe(true);
    const a = run(raw, c);
    const b = run(inst.bytes, c);
    expect(b.results).toEqual(a.results);
    const memA = a.instance.exports.mem as WebAssembly.Memory | undefined;
    const memB = b.instance.exports.mem as WebAssembly.Memory | undefined;
    if (memA !== undefined && memB !== undefined) {
      expect(Buffer.from(memB.buffer).equals(Buffer.from(memA.buffer))).toBe(true);
    }
  });

  it('charges deterministic fuel: identical across fresh runs, growing with work', async () => {
    const c = CASES[0] as Case;
    const { inst } = await pair(c);
    const used = (n: number) => {
      const i = new WebAssembly.Instance(new WebAssembly.Module(inst.bytes));
      fuelOf(i).value = 1_000_000_000n;
      (i.exports.sum as Fn)(n);
      return 1_000_000_000n - (fuelOf(i).value as bigint);
    };
    expect(used(1000)).toBe(used(1000));
    const per = (used(2000) - used(1000)) / 1000n;
    expect(per).toBeGreaterThanOrEqual(1n);
    expect(used(3000) - used(2000)).toBe(used(2000) - used(1000));
    // Every iteration of the 7-instruction body plus its checks is counted.
    expect(per).toBe(13n);
  });

  it('fuel of recursion without loops is still metered (every call is charged)', async () => {
    const c = CASES[1] as Case;
    const { inst } = await pair(c);
    const i = new WebAssembly.Instance(new WebAssembly.Module(inst.bytes));
    fuelOf(i).value = 1_000_000n;
    (i.exports.fib as Fn)(15);
    const small = 1_000_000n - (fuelOf(i).value as bigint);
    fuelOf(i).value = 1_000_000n;
    (i.exports.fib as Fn)(18);
    expect(1_000_000n - (fuelOf(i).value as bigint)).toBeGreaterThan(small * 3n);
  });
});

describe('instrumentModule: bounds', () => {
  it('a spin loop traps on fuel exhaustion, and the host can tell it from other traps', async () => {
    const wat = `(module
      (func (export "spin") (loop $l (br $l)))
      (func (export "boom") (unreachable))
      (func (export "spin_in_block") (block (loop $l (br_if $l (i32.const 1))))))`;
    const inst = instrumentModule(await coreFromWat(wat));
    const i = new WebAssembly.Instance(new WebAssembly.Module(inst.bytes));
    fuelOf(i).value = 100_000n;
    expect(() => (i.exports.spin as Fn)()).toThrow(WebAssembly.RuntimeError);
    expect(fuelOf(i).value as bigint).toBeLessThan(0n);
    fuelOf(i).value = 100_000n;
    expect(() => (i.exports.spin_in_block as Fn)()).toThrow(WebAssembly.RuntimeError);
    expect(fuelOf(i).value as bigint).toBeLessThan(0n);
    fuelOf(i).value = 100_000n;
    expect(() => (i.exports.boom as Fn)()).toThrow(WebAssembly.RuntimeError);
    expect(fuelOf(i).value as bigint).toBeGreaterThanOrEqual(0n);
  });

  it('memory.grow past the cap returns -1 to the guest; the peak is recorded', async () => {
    const c = CASES[2] as Case;
    const { inst } = await pair(c);
    expect(inst.initialPages).toBe(1);
    expect(inst.growSites).toBe(2);
    const i = new WebAssembly.Instance(new WebAssembly.Module(inst.bytes));
    const cap = i.exports[MEM_CAP_EXPORT] as WebAssembly.Global;
    const peak = i.exports[MEM_PEAK_EXPORT] as WebAssembly.Global;
    expect(cap.value).toBe(UNCAPPED_PAGES);
    expect(peak.value).toBe(1);
    cap.value = 4;
    const grow = i.exports.grow as Fn;
    expect(grow(2)).toBe(1);
    expect(grow(1)).toBe(3);
    expect(grow(1)).toBe(-1);
    expect((i.exports.size as Fn)()).toBe(4);
    expect(peak.value).toBe(4);
    cap.value = 10;
    expect(grow(6)).toBe(4);
    expect(grow(1)).toBe(-1);
    expect(peak.value).toBe(10);
    // The declared maximum still applies independently of the cap.
    cap.value = UNCAPPED_PAGES;
    expect(grow(200)).toBe(-1);
  });

  it('adds its exports without disturbing existing indices, and refuses a module that spoofs them', async () => {
    const c = CASES[10] as Case;
    const { inst } = await pair(c);
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(inst.bytes)).map(
      (e) => e.name,
    );
    expect(exports).toEqual(['use', FUEL_EXPORT, MEM_CAP_EXPORT, MEM_PEAK_EXPORT]);
    const spoof = await coreFromWat(
      '(module (global (export "astrid:fuel") (mut i64) (i64.const 1)))',
    );
    expect(() => instrumentModule(spoof)).toThrow(/already exports "astrid:fuel"/);
  });

  it('instruments a module with no functions, globals or exports', async () => {
    const inst = instrumentModule(await coreFromWat('(module)'));
    expect(WebAssembly.validate(inst.bytes)).toBe(true);
    const i = new WebAssembly.Instance(new WebAssembly.Module(inst.bytes));
    expect(fuelOf(i).value).toBe(10_000_000_000n);
  });

  it('refuses malformed input with a decode error', () => {
    expect(() =>
      instrumentModule(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 10, 5, 1)),
    ).toThrow();
    expect(() => instrumentModule(Uint8Array.of(1, 2, 3))).toThrow(/not a WebAssembly core module/);
  });
});
