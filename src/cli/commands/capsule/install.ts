import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { prepareArtifacts } from '../../../capsule/engines/wasm/pipeline/artifacts/artifact-store.js';
import {
  componentExportsContain,
  inspectComponent,
} from '../../../capsule/engines/wasm/pipeline/inspect/inspect-component.js';
import { unpackCapsuleArchive } from '../../../capsule/install/capsule-archive.js';
import {
  installFromDirectory,
  installOutputToJson,
  type LifecycleRunner,
} from '../../../capsule/install/install-capsule.js';
import { formatDiagnostic } from '../../../capsule/manifest/diagnostics.js';
import { loadManifest, MANIFEST_FILE } from '../../../capsule/manifest/load-manifest.js';
import type { CapsuleManifest } from '../../../capsule/manifest/manifest.js';
import { primaryComponent } from '../../../capsule/manifest/manifest-views.js';
import { AstridError } from '../../../core/errors.js';
import { parseCapsuleId } from '../../../core/ids/capsule-id.js';
import { blake3Hex } from '../../../storage/files/content-hash.js';
import type { AstridHome } from '../../../storage/home/astrid-home.js';
import { notFound } from '../../command-kit.js';
import { type OutputFormat, printStructured, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { daemonClient, reloadIfLoaded, reportReload } from './daemon-link.js';
import { envTarget } from './env-files.js';
import { keysNeedingValue, needsLine, promptForEnv } from './env-prompt.js';
import { installMessages, parseInstallResult } from './install-report.js';
import { classifySource } from './install-source.js';
import { installStepLabel } from './install-steps.js';
import { canPrompt } from './tty-prompt.js';

/** An install through the daemon may run a lifecycle hook (up to ten minutes) and a first build. */
const KERNEL_INSTALL_TIMEOUT_MS = 15 * 60 * 1000;

export interface InstallFlags {
  readonly yes: boolean;
  readonly format: OutputFormat;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() === true;
}

/**
 * Without a daemon nothing can run a capsule's install hook, so a capsule
 * that really has one is refused (and the install rolled back) rather than
 * installed half-initialised.
 */
const refuseLifecycleHook: LifecycleRunner = async ({ manifest, phase, wasmPath }) => {
  const hook = phase === 'install' ? 'astrid-install' : 'astrid-upgrade';
  if (componentExportsContain(await readFile(wasmPath), hook)) {
    throw new AstridError(
      'unavailable',
      `${manifest.package.name} has an ${hook} hook, which runs inside the daemon: start it (astrid start) and run the install again`,
    );
  }
};

/**
 * Builds the component's transpiled, instrumented artifacts into the
 * shared cache (`lib/<hash>/`) so the daemon's first load is quick; a
 * component that cannot be built fails here, before anything is installed.
 */
async function firstBuild(
  home: AstridHome,
  dir: string,
  manifest: CapsuleManifest,
  progress: (line: string) => void,
): Promise<void> {
  const component = primaryComponent(manifest);
  if (component === null) return;
  const path = join(dir, component.file);
  if (!(await isFile(path))) return; // the install names the missing file
  const bytes = await readFile(path);
  inspectComponent(bytes);
  const hash = await blake3Hex(bytes);
  progress(`component pipeline for ${component.file}: verifying the build cache`);
  const built = await prepareArtifacts(home.libDir, hash, bytes, { onProgress: progress });
  if (built.built) progress(`component built (${built.manifest.buildMs} ms)`);
}

/** `astrid capsule install SOURCE [--yes] [--format]`. */
export async function capsuleInstall(
  session: CliSession,
  rawSource: string,
  flags: InstallFlags,
): Promise<number> {
  const io = session.io;
  const progress = (line: string) => io.err(`· ${line}\n`);
  const source = classifySource(rawSource, process.cwd());
  if (source.kind === 'network') {
    throw new AstridError(
      'invalid-input',
      `${rawSource} is a network source; astrid capsule install takes only a local directory or .capsule file. To install it, ${source.fetchHint}`,
    );
  }
  const info = await stat(source.path).catch(() => null);
  if (info === null) throw notFound(`Source path does not exist: ${source.path}`);
  if (source.kind === 'archive' && !info.isFile())
    throw new AstridError('invalid-input', `${source.path} is not a file`);
  if (source.kind === 'directory') {
    if (!info.isDirectory())
      throw new AstridError(
        'invalid-input',
        `${source.path} is neither a directory nor a .capsule file`,
      );
    if (
      !(await isFile(join(source.path, MANIFEST_FILE))) &&
      (await isFile(join(source.path, 'Cargo.toml')))
    ) {
      throw new AstridError(
        'invalid-input',
        `${source.path} is a Rust project without a ${MANIFEST_FILE}: build the component, add a ${MANIFEST_FILE} (check it with astrid capsule check), then install the directory or its packed .capsule`,
      );
    }
  }

  const home = session.home;
  let staged = source.path;
  let temp: string | null = null;
  try {
    if (source.kind === 'archive') {
      progress(`unpacking ${source.path}`);
      temp = await unpackCapsuleArchive(source.path);
      staged = temp;
    }
    progress('validating Capsule.toml');
    const { manifest, warnings } = await loadManifest(staged);
    for (const w of warnings) say.warn(io, formatDiagnostic(w));
    await home.ensure();
    await firstBuild(home, staged, manifest, progress);

    const client = await daemonClient(session);
    let data: Record<string, unknown>;
    if (client !== null) {
      progress('installing through the running daemon (it stores, copies and loads the capsule)');
      const body = await client.kernel(
        'InstallCapsule',
        { source: source.path },
        { timeoutMs: KERNEL_INSTALL_TIMEOUT_MS },
      );
      data = body.data as Record<string, unknown>;
    } else {
      progress(`the daemon is not running: installing into ${home.root}`);
      const out = await installFromDirectory(staged, home, {
        lifecycle: refuseLifecycleHook,
        onStep: (step) => {
          if (step === 'manifest') return; // validated above
          const label = installStepLabel(step);
          if (label !== null) progress(label);
        },
      });
      data = installOutputToJson(out);
    }
    const result = parseInstallResult(data);
    const via = client === null ? 'local' : 'daemon';
    const target = envTarget(home, parseCapsuleId(result.capsule), null);
    let missing = await keysNeedingValue(home, target, manifest);
    const interactive = flags.format === 'pretty' && !flags.yes && canPrompt();

    if (flags.format !== 'pretty') {
      printStructured(
        io,
        { ...data, via, loaded: via === 'daemon', needs_config: missing },
        flags.format,
      );
      return 0;
    }
    const messages = installMessages(result, via);
    say.ok(io, messages.ok);
    for (const line of messages.info) say.info(io, line);
    for (const line of messages.warn) say.warn(io, line);
    if (missing.length > 0 && interactive) {
      const given = await promptForEnv(io, home, target, manifest, missing);
      if (given.length > 0) {
        say.ok(io, `Saved ${given.join(', ')} for ${result.capsule}`);
        if (client !== null)
          reportReload(io, result.capsule, await reloadIfLoaded(client, result.capsule));
      }
      missing = await keysNeedingValue(home, target, manifest);
    }
    for (const key of missing) say.info(io, needsLine(result.capsule, key));
    return 0;
  } finally {
    if (temp !== null) await rm(temp, { recursive: true, force: true });
  }
}
