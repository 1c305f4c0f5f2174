import { describe, expect, it } from 'vitest';
import { installMessages, parseInstallResult } from './install-report.js';

const answer = {
  capsule: 'demo',
  target_dir: '/h/home/default/.local/capsules/demo',
  phase: 'upgrade',
  installed_version: '1.1.0',
  previous_version: '1.0.0',
  wasm_hash: 'ab'.repeat(32),
  env_path: '/h/home/default/.config/env/demo.env.json',
  env_needs_prompt: false,
  missing_imports: [{ namespace: 'test', interface: 'greet', requirement: '^1.0' }],
  export_conflicts: [{ interface: 'test/x', existing_capsule: 'other' }],
  warnings: [],
};

describe('install report', () => {
  it('parses the kernel answer and words upgrades, missing imports and conflicts', () => {
    const r = parseInstallResult(answer);
    const m = installMessages(r, 'daemon');
    expect(m.ok).toBe('Upgraded demo 1.0.0 → 1.1.0');
    expect(m.info).toContain('demo is loaded in the running daemon');
    expect(m.warn).toEqual([
      'demo imports test/greet ^1.0, which no installed capsule exports',
      'demo exports test/x, which other also exports (events may be handled twice)',
    ]);
    const local = installMessages(
      parseInstallResult({
        ...answer,
        phase: 'install',
        missing_imports: [],
        export_conflicts: [],
      }),
      'local',
    );
    expect(local.ok).toBe('Installed demo 1.1.0');
    expect(local.info[1]).toBe(
      'the daemon is not running; demo loads when it starts (astrid start)',
    );
    expect(local.warn).toEqual([]);
  });

  it('refuses an answer without the essential fields', () => {
    expect(() => parseInstallResult({ capsule: 'x' })).toThrow(/unexpected install answer/);
    expect(() => parseInstallResult([])).toThrow(/unexpected install answer/);
  });
});
