import { parse as parseToml, TomlError } from 'smol-toml';
import { ASTRID_VERSION } from '../../core/version.js';
import type { ManifestError, ManifestWarning } from './diagnostics.js';
import type { CapsuleManifest, ComponentDef } from './manifest.js';
import { mergeComponentCapabilities, readCapabilities } from './parse-capabilities.js';
import { readEnv } from './parse-env.js';
import {
  readCommands,
  readContextFiles,
  readMcpServers,
  readSkills,
  readTools,
  readUplinks,
} from './parse-extras.js';
import { checkInterfaceNames, readExports, readImports } from './parse-interfaces.js';
import { checkAstridVersion, checkPackageVersion, readPackage } from './parse-package.js';
import { checkTopicKeys, readPublish, readSubscribe } from './parse-topics.js';
import { DiagnosticSink, isTable, TableReader } from './toml-reader.js';

export interface ManifestParseResult {
  /** The manifest when there are no errors, else null. */
  readonly manifest: CapsuleManifest | null;
  readonly errors: readonly ManifestError[];
  readonly warnings: readonly ManifestWarning[];
}

export interface ParseOptions {
  /** The runtime version `astrid-version` is checked against. */
  readonly runtimeVersion?: string;
}

function readComponent(c: TableReader): ComponentDef | null {
  const hasFile = c.has('file');
  const key = hasFile ? 'file' : 'entrypoint';
  const file =
    hasFile || !c.has('entrypoint')
      ? c.requiredString('file', '"my_capsule.wasm"')
      : c.optionalString('entrypoint');
  const component: ComponentDef | null =
    file === null
      ? null
      : {
          file,
          id: c.optionalString('id') ?? '',
          hash: c.optionalString('hash'),
          type: c.optionalString('type') ?? '',
          link: c.stringList('link'),
        };
  if (file !== null) {
    const segments = file.split(/[\\/]/);
    if (
      file.startsWith('/') ||
      /^[A-Za-z]:/.test(file) ||
      segments.includes('..') ||
      file.length === 0
    ) {
      c.error(
        'component-file-invalid',
        key,
        `${JSON.stringify(file)} must be a relative path inside the capsule directory, e.g. file = "my_capsule.wasm"`,
      );
      return null;
    }
    if (!file.endsWith('.wasm')) {
      c.error('component-file-invalid', key, `${JSON.stringify(file)} must name a .wasm component`);
      return null;
    }
  }
  return component;
}

/**
 * Parses and validates `Capsule.toml` text. Rules run in the reference's
 * order (TOML and structure, component capability merge, `astrid-version`,
 * `package.version`, topic keys, interface names, uplink/imports) and every
 * failure is collected, so one run reports everything that needs fixing.
 * Unknown keys are ignored; known legacy keys produce warnings.
 */
export function parseManifest(text: string, options: ParseOptions = {}): ManifestParseResult {
  const sink = new DiagnosticSink();
  let doc: Record<string, unknown>;
  try {
    // Integers stay bigint so a float (`10.0`) can be told from an integer.
    doc = parseToml(text, { integersAsBigInt: true }) as Record<string, unknown>;
  } catch (e) {
    const message =
      e instanceof TomlError
        ? `line ${e.line}, column ${e.column}: ${e.message.split('\n')[0]}`
        : String(e);
    sink.error('toml-syntax', '', null, `Capsule.toml is not valid TOML: ${message}`);
    return { manifest: null, errors: sink.errors, warnings: sink.warnings };
  }
  const root = new TableReader(doc, '', sink);

  // Step 1: structure.
  if (root.has('interceptor')) {
    sink.warn(
      'legacy-interceptor-table',
      '[[interceptor]]',
      null,
      'is a legacy table and binds nothing; declare interceptors as [subscribe] entries with handler = "<action>"',
    );
  }
  if (root.has('topic')) {
    sink.warn(
      'legacy-topic-table',
      '[[topic]]',
      null,
      'is a legacy table and grants nothing; declare topics as keys of [publish] / [subscribe]',
    );
  }
  let pkgReader: TableReader | null = null;
  if (!root.has('package')) {
    sink.error(
      'required-key-missing',
      '[package]',
      null,
      'is required; add a [package] table with name and version',
    );
  } else if (!isTable(doc.package)) {
    sink.error('invalid-type', '[package]', null, 'must be a table');
  } else {
    pkgReader = new TableReader(doc.package, '[package]', sink);
  }
  const pkg = pkgReader === null ? null : readPackage(pkgReader);
  const components = root.tableArray('component', 'component');
  const componentDefs = components.map(readComponent);
  const capabilities = readCapabilities(root.subTable('capabilities', '{ net = [] }'));
  const importsReader = root.subTable('imports', '{ "astrid:session" = "^1.0" }');
  const exportsReader = root.subTable('exports', '{ "acme:weather" = "1.0.0" }');
  const imports = readImports(importsReader);
  const exports = readExports(exportsReader);
  const publishReader = root.subTable('publish', '{ "weather.v1.report" = "opaque" }');
  const subscribeReader = root.subTable('subscribe', '{ "user.v1.prompt" = "opaque" }');
  const publish = readPublish(publishReader);
  const subscribe = readSubscribe(subscribeReader);
  const env = readEnv(root.subTable('env', '{ API_KEY = { type = "secret" } }'));
  const uplinks = readUplinks(root.tableArray('uplink', 'uplink'));
  const mcpServers = readMcpServers(root.tableArray('mcp_server', 'mcp_server'));
  const tools = readTools(root.tableArray('tool', 'tool'));
  const commands = readCommands(root.tableArray('command', 'command'));
  const skills = readSkills(root.tableArray('skill', 'skill'));
  const contextFiles = readContextFiles(root.tableArray('context_file', 'context_file'));

  // Step 2: component-level capabilities merge into the root set.
  for (const c of components) mergeComponentCapabilities(capabilities, c);

  // Step 3: astrid-version.
  if (pkgReader !== null && pkg?.rawAstridVersion != null) {
    checkAstridVersion(pkgReader, pkg.rawAstridVersion, options.runtimeVersion ?? ASTRID_VERSION);
  }
  // Step 4: package.version is full semver.
  if (pkgReader !== null && pkg?.rawVersion != null) checkPackageVersion(pkgReader, pkg.rawVersion);
  // Step 5: topic keys.
  if (publishReader !== null)
    checkTopicKeys(publishReader, 'publish', Object.keys(publishReader.table));
  if (subscribeReader !== null)
    checkTopicKeys(subscribeReader, 'subscribe', Object.keys(subscribeReader.table));
  // Step 6: interface identifiers.
  if (importsReader !== null) checkInterfaceNames(importsReader, 'imports', imports);
  if (exportsReader !== null) checkInterfaceNames(exportsReader, 'exports', exports);
  // Step 7: uplink capsules may not import.
  if (capabilities.uplink && imports.length > 0) {
    sink.error(
      'uplink-with-imports',
      '[imports]',
      null,
      '[imports] is not allowed on uplink capsules (capabilities.uplink = true); remove the imports or the uplink flag',
    );
  }

  if (sink.errors.length > 0 || pkg?.info == null) {
    return { manifest: null, errors: sink.errors, warnings: sink.warnings };
  }
  const manifest: CapsuleManifest = {
    package: pkg.info,
    components: componentDefs.filter((c): c is ComponentDef => c !== null),
    capabilities,
    imports,
    exports,
    publish,
    subscribe,
    env,
    uplinks,
    mcpServers,
    tools,
    commands,
    skills,
    contextFiles,
  };
  return { manifest: deepFreeze(manifest), errors: [], warnings: sink.warnings };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
