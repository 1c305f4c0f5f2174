import { fileURLToPath } from 'node:url';

/** Where this Astrid installation keeps what `astrid new` links and copies. */
export interface AstridInstallation {
  /** The `astrid` package root (a checkout, or `node_modules/astrid`). */
  readonly root: string;
  /** The `@astrid/sdk` package inside it. */
  readonly sdkDir: string;
  /** The capsule project template. */
  readonly capsuleTemplate: string;
}

/** The installation this module belongs to (the same from `src/cli/…` and `dist/cli/…`). */
export function astridInstallation(): AstridInstallation {
  const root = fileURLToPath(new URL('../../../../', import.meta.url)).replace(/\/$/, '');
  return {
    root,
    sdkDir: `${root}/sdk`,
    capsuleTemplate: `${root}/templates/capsule`,
  };
}
