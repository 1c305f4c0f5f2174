import { describe, expect, it } from 'vitest';
import type { CapsuleManifest } from '../../../capsule/manifest/manifest.js';
import type { BuildResult } from '../../../sdk-build/build-capsule.js';
import {
  buildPlan,
  buildReport,
  displayPath,
  progressLine,
  seconds,
  summaryLine,
} from './build-report.js';

function result(over: Partial<BuildResult> = {}): BuildResult {
  return {
    manifest: { package: { name: 'demo', version: '0.1.0' } } as CapsuleManifest,
    componentPath: '/p/demo/demo.wasm',
    componentBytes: 12_200_000,
    archivePath: '/p/demo/dist/demo-0.1.0.capsule',
    imports: ['astrid:ipc/host@1.0.0'],
    exports: { hookTrigger: true, run: false, install: false, upgrade: false },
    cached: false,
    cacheKey: 'k',
    ...over,
  };
}

describe('build report', () => {
  it('plans seven steps, six without type-checking', () => {
    expect(buildPlan(true)).toEqual([
      'manifest',
      'typecheck',
      'bundle',
      'world',
      'componentize',
      'inspect',
      'pack',
    ]);
    expect(buildPlan(false)).not.toContain('typecheck');
    expect(buildPlan(false)).toHaveLength(6);
  });

  it('numbers each progress line and shows the elapsed time', () => {
    expect(progressLine(buildPlan(true), 'bundle', './src/index.ts', 1234)).toBe(
      '[3/7] bundle ./src/index.ts (1.2s)',
    );
    expect(progressLine(buildPlan(false), 'pack', 'dist', 50)).toBe('[6/6] pack dist (0.1s)');
    expect(progressLine(buildPlan(false), 'typecheck', 'tsc', 0)).toBe('typecheck tsc (0.0s)');
    expect(seconds(21_449)).toBe('21.4s');
  });

  it('shows paths inside the working directory relative to it', () => {
    expect(displayPath('/p/demo/dist/x.capsule', '/p/demo')).toBe('dist/x.capsule');
    expect(displayPath('/elsewhere/x', '/p/demo')).toBe('/elsewhere/x');
    expect(displayPath('/p/demo', '/p/demo')).toBe('/p/demo');
  });

  it('summarises a build in one line: archive, sizes, cached or built, time', () => {
    expect(summaryLine(result(), 4_000_000, 21_400, '/p/demo')).toBe(
      'Built demo 0.1.0 → dist/demo-0.1.0.capsule (4.0 MB, component 12.2 MB, built in 21.4s)',
    );
    expect(summaryLine(result({ cached: true }), 4_000_000, 300, '/p')).toBe(
      'Built demo 0.1.0 → demo/dist/demo-0.1.0.capsule (4.0 MB, component 12.2 MB, cached in 0.3s)',
    );
    expect(summaryLine(result({ archivePath: null }), 0, 300, '/p/demo')).toBe(
      'Built demo 0.1.0 → demo.wasm (component 12.2 MB, built in 0.3s)',
    );
  });

  it('reports JSON with the capsule, paths, size, cache use, imports and exports', () => {
    expect(buildReport(result({ cached: true }))).toEqual({
      capsule: 'demo',
      version: '0.1.0',
      archive: '/p/demo/dist/demo-0.1.0.capsule',
      component: '/p/demo/demo.wasm',
      componentBytes: 12_200_000,
      cached: true,
      imports: ['astrid:ipc/host@1.0.0'],
      exports: { hookTrigger: true, run: false, install: false, upgrade: false },
    });
  });
});
