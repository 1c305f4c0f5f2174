import { checkVersion } from '../../core/semver/version.js';
import { VersionRequirement } from '../../core/semver/version-requirement.js';
import type { ExportDef, ImportDef } from './manifest.js';
import { isTable, quoteKey, type TableReader } from './toml-reader.js';

const IDENTIFIER = /^[a-z][a-z0-9-]*$/;

type Kind = 'imports' | 'exports';

interface RawEntry {
  readonly namespace: string;
  readonly iface: string;
  readonly value: unknown;
  /** The key as written, for messages. */
  readonly key: string;
}

/**
 * Both surface forms normalise to namespace → interface: nested
 * (`[imports.astrid] session = "^1.0"`) and flat (`"astrid:session" = "^1.0"`,
 * split at the first ':'). They may be mixed; a pair defined twice is an error.
 */
function entriesOf(reader: TableReader, kind: Kind): RawEntry[] {
  const out: RawEntry[] = [];
  const seen = new Set<string>();
  const push = (e: RawEntry) => {
    const id = `${e.namespace}:${e.iface}`;
    if (seen.has(id)) {
      reader.error('duplicate-entry', e.key, `${id} is declared twice in [${kind}]; keep one`);
      return;
    }
    seen.add(id);
    out.push(e);
  };
  for (const [key, value] of Object.entries(reader.table)) {
    const colon = key.indexOf(':');
    if (colon >= 0) {
      const namespace = key.slice(0, colon);
      const iface = key.slice(colon + 1);
      if (namespace.length === 0 || iface.length === 0) {
        reader.error(
          'interface-key-invalid',
          quoteKey(key),
          `[${kind}] key ${JSON.stringify(key)} has empty namespace or interface segment; write "namespace:interface"`,
        );
        continue;
      }
      push({ namespace, iface, value, key: quoteKey(key) });
      continue;
    }
    if (!isTable(value)) {
      reader.error(
        'interface-key-invalid',
        quoteKey(key),
        `[${kind}] key ${JSON.stringify(key)} must be "namespace:interface", or a [${kind}.${key}] table of interfaces`,
      );
      continue;
    }
    for (const [iface, def] of Object.entries(value)) {
      push({ namespace: key, iface, value: def, key: `${quoteKey(key)}.${quoteKey(iface)}` });
    }
  }
  return out;
}

/** Load step 1 for `[imports]`: read every requirement (Cargo semantics). */
export function readImports(reader: TableReader | null): ImportDef[] {
  if (reader === null) return [];
  const out: ImportDef[] = [];
  for (const e of entriesOf(reader, 'imports')) {
    let text: unknown = e.value;
    let optional = false;
    if (isTable(e.value)) {
      text = e.value.version;
      const opt = e.value.optional;
      if (opt !== undefined && typeof opt !== 'boolean') {
        reader.error('invalid-type', `${e.key}.optional`, 'must be true or false');
      } else optional = opt ?? false;
    }
    if (typeof text !== 'string') {
      reader.error(
        'invalid-type',
        e.key,
        'must be a version requirement string or { version = "<req>", optional = <bool> }, e.g. "^1.0"',
      );
      continue;
    }
    const requirement = VersionRequirement.check(text);
    if (!requirement.ok) {
      reader.error(
        'import-requirement-invalid',
        e.key,
        `${requirement.error.message}; write e.g. "^1.0" or ">=1.1, <2.0"`,
      );
      continue;
    }
    out.push({
      namespace: e.namespace,
      interface: e.iface,
      requirement: requirement.value,
      optional,
    });
  }
  return out.sort(byName);
}

/** Load step 1 for `[exports]`: every export is an exact full version. */
export function readExports(reader: TableReader | null): ExportDef[] {
  if (reader === null) return [];
  const out: ExportDef[] = [];
  for (const e of entriesOf(reader, 'exports')) {
    const text = isTable(e.value) ? e.value.version : e.value;
    if (typeof text !== 'string') {
      reader.error(
        'invalid-type',
        e.key,
        'must be an exact version string or { version = "1.0.0" }',
      );
      continue;
    }
    if (!checkVersion(text).ok) {
      reader.error(
        'export-version-invalid',
        e.key,
        `export version ${JSON.stringify(text)} must be an exact full version, e.g. "1.2.0"`,
      );
      continue;
    }
    out.push({ namespace: e.namespace, interface: e.iface, version: text });
  }
  return out.sort(byName);
}

/** Load step 6: namespaces and interface names match `^[a-z][a-z0-9-]*$`. */
export function checkInterfaceNames(
  reader: TableReader,
  kind: Kind,
  defs: readonly { namespace: string; interface: string }[],
): void {
  for (const d of defs) {
    const key = `${d.namespace}:${d.interface}`;
    if (!IDENTIFIER.test(d.namespace)) {
      reader.error(
        'interface-name-invalid',
        quoteKey(key),
        `invalid namespace ${JSON.stringify(d.namespace)} in [${kind}]: use lowercase letters, digits and '-', starting with a letter`,
      );
    }
    if (!IDENTIFIER.test(d.interface)) {
      reader.error(
        'interface-name-invalid',
        quoteKey(key),
        `invalid interface name ${JSON.stringify(d.interface)} in [${kind}]: use lowercase letters, digits and '-', starting with a letter`,
      );
    }
  }
}

function byName(
  a: { namespace: string; interface: string },
  b: { namespace: string; interface: string },
): number {
  const x = `${a.namespace}:${a.interface}`;
  const y = `${b.namespace}:${b.interface}`;
  return x < y ? -1 : x > y ? 1 : 0;
}
