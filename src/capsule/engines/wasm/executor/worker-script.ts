import { fileURLToPath } from 'node:url';

/**
 * Where the guest worker's code is and how to start it: the compiled `.js`
 * next to this file in a build, or — when running from TypeScript sources
 * (tests, benchmarks) — a small bootstrap that registers the tsx loader and
 * imports the `.ts` entry.
 */
export function guestWorkerScript(): { url: URL; workerData: Record<string, unknown> } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    return {
      url: new URL('./ts-worker-bootstrap.mjs', import.meta.url),
      workerData: { tsEntry: new URL('./guest-worker.ts', import.meta.url).href },
    };
  }
  return { url: new URL('./guest-worker.js', import.meta.url), workerData: {} };
}
