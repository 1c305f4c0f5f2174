import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AstridError } from '../../../core/errors.js';
import { buildCapsule } from '../../../sdk-build/build-capsule.js';
import { notFound } from '../../command-kit.js';
import { type CliIo, type OutputFormat, printStructured, say } from '../../output.js';
import { buildPlan, buildReport, displayPath, progressLine, summaryLine } from './build-report.js';

export interface BuildVerbOptions {
  readonly out?: string;
  readonly typecheck: boolean;
  readonly format: OutputFormat;
  /** Where relative paths in messages are shown from. */
  readonly cwd?: string;
}

/**
 * `astrid build [dir] [-o out] [--no-typecheck]`: typecheck, bundle,
 * componentize (cached), inspect and pack a TypeScript capsule project,
 * with one progress line per step on stderr.
 */
export async function buildVerb(
  io: CliIo,
  dir: string,
  options: BuildVerbOptions,
): Promise<number> {
  const cwd = options.cwd ?? process.cwd();
  const project = resolve(cwd, dir);
  const info = await stat(project).catch(() => null);
  if (info === null) throw notFound(`capsule project directory ${project} does not exist`);
  if (!info.isDirectory()) throw new AstridError('invalid-input', `${project} is not a directory`);
  const plan = buildPlan(options.typecheck && existsSync(join(project, 'tsconfig.json')));
  const started = performance.now();
  const result = await buildCapsule(project, {
    skipTypecheck: !options.typecheck,
    ...(options.out === undefined ? {} : { outDir: resolve(cwd, options.out) }),
    onStep: (step, detail) => {
      const shown = step === 'manifest' || step === 'pack' ? displayPath(detail, cwd) : detail;
      io.err(`i ${progressLine(plan, step, shown, performance.now() - started)}\n`);
    },
  });
  const elapsed = performance.now() - started;
  if (options.format !== 'pretty') {
    printStructured(io, buildReport(result), options.format);
    return 0;
  }
  const archiveBytes = result.archivePath === null ? 0 : (await stat(result.archivePath)).size;
  say.ok(io, summaryLine(result, archiveBytes, elapsed, cwd));
  return 0;
}
