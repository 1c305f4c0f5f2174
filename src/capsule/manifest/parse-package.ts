import type { CapsuleId } from '../../core/ids/capsule-id.js';
import { checkCapsuleId } from '../../core/ids/capsule-id.js';
import { checkVersion } from '../../core/semver/version.js';
import { VersionRequirement } from '../../core/semver/version-requirement.js';
import type { PackageInfo } from './manifest.js';
import type { TableReader } from './toml-reader.js';

export interface PackageParse {
  readonly info: PackageInfo | null;
  /** Kept separately so the version rules can run in the spec's order. */
  readonly rawVersion: string | null;
  readonly rawAstridVersion: string | null;
}

/** `[package]`: structural reading and the name rule (validated at parse time). */
export function readPackage(pkg: TableReader): PackageParse {
  const name = pkg.requiredString('name', '"my-capsule"');
  let id: CapsuleId | null = null;
  if (name !== null) {
    const checked = checkCapsuleId(name);
    if (checked.ok) id = checked.value;
    else {
      pkg.error(
        'package-name-invalid',
        'name',
        `${checked.error.message}; write lowercase letters, digits and inner '-', e.g. name = "my-capsule"`,
      );
    }
  }
  const version = pkg.requiredString('version', '"1.0.0"');
  const info: PackageInfo = {
    name: (id ?? '') as CapsuleId,
    version: version ?? '',
    description: pkg.optionalString('description'),
    authors: pkg.stringList('authors', '["Name <mail@example.org>"]'),
    repository: pkg.optionalString('repository'),
    homepage: pkg.optionalString('homepage'),
    documentation: pkg.optionalString('documentation'),
    license: pkg.optionalString('license', '"MIT"'),
    licenseFile: pkg.optionalString('license-file'),
    readme: pkg.optionalString('readme'),
    keywords: pkg.stringList('keywords'),
    categories: pkg.stringList('categories'),
    astridVersion: pkg.optionalString('astrid-version', '">=0.8.0"'),
    publish: pkg.optionalBool('publish'),
    include: pkg.optionalStringList('include'),
    exclude: pkg.optionalStringList('exclude'),
    metadata: plainJson(pkg.table.metadata ?? null),
  };
  return {
    info: id === null || version === null ? null : info,
    rawVersion: version,
    rawAstridVersion: info.astridVersion,
  };
}

/** Load step 3: `astrid-version` must parse and match the runtime. */
export function checkAstridVersion(
  pkg: TableReader,
  requirement: string,
  runtimeVersion: string,
): void {
  const parsed = VersionRequirement.check(requirement);
  if (!parsed.ok) {
    pkg.error(
      'astrid-version-invalid',
      'astrid-version',
      `invalid astrid-version ${JSON.stringify(requirement)}: ${parsed.error.message}; write e.g. astrid-version = ">=0.8"`,
    );
    return;
  }
  if (!parsed.value.matches(runtimeVersion)) {
    pkg.error(
      'astrid-version-unsatisfied',
      'astrid-version',
      `capsule requires astrid-version ${requirement}, but this runtime is ${runtimeVersion}`,
    );
  }
}

/** Load step 4: `package.version` must be a full semantic version. */
export function checkPackageVersion(pkg: TableReader, version: string): void {
  const checked = checkVersion(version);
  if (!checked.ok) {
    pkg.error(
      'package-version-invalid',
      'version',
      `${JSON.stringify(version)} is not a full semantic version; write version = "1.0.0"`,
    );
  }
}

/** Free-form TOML as plain JSON values (integers become numbers, dates ISO strings). */
function plainJson(value: unknown): unknown {
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plainJson);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainJson(v)]));
  }
  return value;
}
