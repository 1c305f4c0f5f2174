// Measures the median latency of an Extism plugin call with runInWorker, in a
// plain Node process (the tsx loader the other benchmarks run under breaks
// Extism's data:-URL worker). Usage: node extism-latency.mjs <plugin.wasm> <input> <iterations>
import { readFileSync } from 'node:fs';
import createPlugin from '@extism/extism';

const [wasmPath, input, iterationsText] = process.argv.slice(2);
const iterations = Number(iterationsText ?? '2000');
const plugin = await createPlugin(
  { wasm: [{ data: readFileSync(wasmPath) }] },
  { useWasi: false, runInWorker: true },
);
for (let i = 0; i < 50; i++) await plugin.call('run', input);
const samples = [];
for (let i = 0; i < iterations; i++) {
  const t = performance.now();
  await plugin.call('run', input);
  samples.push(performance.now() - t);
}
await plugin.close();
samples.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ medianMs: samples[Math.floor(samples.length / 2)] }));
