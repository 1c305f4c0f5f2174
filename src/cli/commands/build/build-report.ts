import { isAbsolute, relative } from 'node:path';
import type { BuildResult, BuildStep } from '../../../sdk-build/build-capsule.js';
import type { GuestExports } from '../../../sdk-build/capsule-world.js';
import { humanBytes } from '../capsule/human-bytes.js';

/** The steps a build runs, in order (type-checking only with a tsconfig.json and without --no-typecheck). Pure. */
export function buildPlan(typecheck: boolean): BuildStep[] {
  return [
    'manifest',
    ...(typecheck ? (['typecheck'] as const) : []),
    'bundle',
    'world',
    'componentize',
    'inspect',
    'pack',
  ];
}

/** `path` relative to `cwd` when it lies inside it, else as given. Pure. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel.length > 0 && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Seconds with one decimal (`0.3s`, `21.4s`). Pure. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** One progress line: `[3/7] bundle ./src/index.ts (0.1s)`. Pure. */
export function progressLine(
  plan: readonly BuildStep[],
  step: BuildStep,
  detail: string,
  elapsedMs: number,
): string {
  const index = plan.indexOf(step);
  const position = index < 0 ? '' : `[${index + 1}/${plan.length}] `;
  return `${position}${step} ${detail} (${seconds(elapsedMs)})`;
}

/** The `--format json` report of a build. Pure. */
export interface BuildReport {
  readonly capsule: string;
  readonly version: string;
  readonly archive: string | null;
  readonly component: string;
  readonly componentBytes: number;
  readonly cached: boolean;
  readonly imports: readonly string[];
  readonly exports: GuestExports;
}

export function buildReport(result: BuildResult): BuildReport {
  return {
    capsule: result.manifest.package.name,
    version: result.manifest.package.version,
    archive: result.archivePath,
    component: result.componentPath,
    componentBytes: result.componentBytes,
    cached: result.cached,
    imports: result.imports,
    exports: result.exports,
  };
}

/** `Built demo 0.1.0 → dist/demo-0.1.0.capsule (1.2 MB, component 12.1 MB, built in 21.4s)`. Pure. */
export function summaryLine(
  result: BuildResult,
  archiveBytes: number,
  elapsedMs: number,
  cwd: string,
): string {
  const { name, version } = result.manifest.package;
  const target = result.archivePath ?? result.componentPath;
  const sizes =
    result.archivePath === null
      ? `component ${humanBytes(result.componentBytes)}`
      : `${humanBytes(archiveBytes)}, component ${humanBytes(result.componentBytes)}`;
  return `Built ${name} ${version} → ${displayPath(target, cwd)} (${sizes}, ${result.cached ? 'cached' : 'built'} in ${seconds(elapsedMs)})`;
}
