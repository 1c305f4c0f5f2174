// Development only: starts a worker whose code is TypeScript source (tests and
// benchmarks run from src/). Registers the tsx loader, then imports the entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.tsEntry);
