import type { InstallStep } from '../../../capsule/install/install-capsule.js';

/**
 * The progress line printed when an install step starts, or null for steps
 * too quick or too internal to mention. Pure.
 */
export function installStepLabel(step: InstallStep): string | null {
  switch (step) {
    case 'manifest':
      return 'validating Capsule.toml';
    case 'content-address':
      return 'storing the component in the content store (bin/)';
    case 'wit':
      return 'storing WIT files (wit/)';
    case 'copy':
      return 'copying capsule files';
    case 'lifecycle':
      return 'checking for an install hook';
    case 'meta':
      return 'writing meta.json';
    case 'imports':
      return 'checking imports against installed capsules';
    case 'export-conflicts':
    case 'backup':
    case 'env':
    case 'cleanup':
      return null;
  }
}
