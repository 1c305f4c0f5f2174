import { describe, expect, it } from 'vitest';
import { INSTALL_STEPS } from '../../../capsule/install/install-capsule.js';
import { installStepLabel } from './install-steps.js';

describe('installStepLabel', () => {
  it('labels the long, user-visible steps and stays quiet on the internal ones', () => {
    const labelled = INSTALL_STEPS.filter((s) => installStepLabel(s) !== null);
    expect(labelled).toEqual([
      'manifest',
      'content-address',
      'wit',
      'copy',
      'lifecycle',
      'meta',
      'imports',
    ]);
    expect(installStepLabel('manifest')).toBe('validating Capsule.toml');
  });
});
