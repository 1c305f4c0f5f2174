import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { AstridError } from '../../../core/errors.js';
import { type CliIo, type OutputFormat, printStructured, say } from '../../output.js';
import { displayPath } from '../build/build-report.js';
import { packageJson, projectPath, renderTemplate, templateVars } from './capsule-template.js';
import { type AstridInstallation, astridInstallation } from './installation.js';
import { npmInstall } from './npm-install.js';

export interface NewCapsuleOptions {
  /** The project directory (default `./<name>`). */
  readonly dir?: string;
  /** Run `npm install` in the new project (default true). */
  readonly install: boolean;
  readonly format: OutputFormat;
  readonly cwd?: string;
  readonly installation?: AstridInstallation;
  readonly env?: NodeJS.ProcessEnv;
}

async function templateFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  await walk('');
  return out.sort();
}

/** Refuses a target that exists and is not an empty directory. */
async function checkTarget(target: string): Promise<void> {
  const info = await stat(target).catch(() => null);
  if (info === null) return;
  if (!info.isDirectory())
    throw new AstridError('already-exists', `${target} exists and is not a directory`);
  if ((await readdir(target)).length > 0)
    throw new AstridError(
      'already-exists',
      `${target} is not empty; pick another directory with --dir, or remove it first`,
    );
}

type Dependencies = 'installed' | 'skipped' | 'npm-unavailable';

/**
 * `astrid new capsule <name> [--dir D]`: writes a capsule project from the
 * template (manifest, source, a test using the testing helper, README) and
 * installs its dependencies — links to this installation's SDK and CLI.
 */
export async function newCapsule(
  io: CliIo,
  name: string,
  options: NewCapsuleOptions,
): Promise<number> {
  const vars = templateVars(name);
  const cwd = options.cwd ?? process.cwd();
  const install = options.installation ?? astridInstallation();
  const target = resolve(cwd, options.dir ?? name);
  await checkTarget(target);
  if (!existsSync(join(install.sdkDir, 'package.json')))
    throw new AstridError(
      'unavailable',
      `this astrid installation (${install.root}) has no SDK at ${install.sdkDir}; reinstall astrid`,
    );
  const files: string[] = [];
  for (const file of await templateFiles(install.capsuleTemplate)) {
    const text = await readFile(join(install.capsuleTemplate, file), 'utf8');
    const to = projectPath(file);
    await mkdir(dirname(join(target, to)), { recursive: true });
    await writeFile(join(target, to), renderTemplate(text, vars, file));
    files.push(to);
  }
  await writeFile(join(target, 'package.json'), packageJson(name, install.sdkDir, install.root));
  files.push('package.json');
  files.sort();
  const shown = displayPath(target, cwd);
  if (options.format === 'pretty')
    say.ok(io, `Created capsule ${name} in ${shown} (${files.length} files)`);

  let dependencies: Dependencies = 'skipped';
  if (options.install) {
    io.err(`i npm install --offline in ${shown} (links ${install.sdkDir} and ${install.root})\n`);
    const outcome = await npmInstall(target, (line) => io.err(`  ${line}\n`), options.env);
    if (outcome.kind === 'failed')
      throw new AstridError(
        'unavailable',
        `npm install failed in ${target} (exit ${outcome.code}); fix what npm reported above, then run npm install there again`,
      );
    if (outcome.kind === 'unavailable') {
      dependencies = 'npm-unavailable';
      say.warn(
        io,
        `${outcome.reason}; to finish by hand, install Node.js with npm and run: cd ${shown} && npm install`,
      );
    } else dependencies = 'installed';
  }
  if (options.format !== 'pretty') {
    printStructured(io, { capsule: name, dir: target, files, dependencies }, options.format);
    return 0;
  }
  if (dependencies === 'installed') say.ok(io, 'Installed dependencies (@astrid/sdk, astrid)');
  const into = relative(cwd, target).split(sep).join('/') || '.';
  say.info(
    io,
    `Next: cd ${into.startsWith('..') ? target : into} && ${dependencies === 'installed' ? '' : 'npm install && '}npm test && npx astrid build`,
  );
  return 0;
}
