import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../capsule/manifest/parse-manifest.js';
import { buildTree, renderTree } from './capsule-tree.js';

function capsule(name: string, extra = '') {
  const parsed = parseManifest(`[package]\nname = "${name}"\nversion = "1.0.0"\n${extra}`);
  if (parsed.manifest === null) throw new Error(JSON.stringify(parsed.errors));
  return { dir: `/c/${name}`, manifest: parsed.manifest };
}

describe('capsule tree', () => {
  it('links imports to providers, orders providers first and renders cargo-style', () => {
    const tree = buildTree([
      capsule('app', '[imports.test]\ngreet = "^1.0"\nstore = "^2"\n'),
      capsule('greeter', '[exports.test]\ngreet = "1.2.0"\n[imports.test]\nstore = "^2"\n'),
      capsule('store', '[exports.test]\nstore = "2.0.1"\n'),
      capsule('lonely', '[imports.test]\nopt = { version = "^1", optional = true }\n'),
    ]);
    expect(tree.order).toEqual(['store', 'lonely', 'greeter', 'app']);
    expect(tree.capsules.find((c) => c.name === 'app')?.imports).toEqual([
      { interface: 'test/greet', requirement: '^1.0', optional: false, providers: ['greeter'] },
      { interface: 'test/store', requirement: '^2', optional: false, providers: ['store'] },
    ]);
    expect(renderTree(tree)).toEqual([
      'lonely 1.0.0',
      '└── test/opt ^1 (optional, not provided)',
      'app 1.0.0',
      '├── greeter 1.0.0 (test/greet ^1.0)',
      '│   └── store 1.0.0 (test/store ^2)',
      '└── store 1.0.0 (test/store ^2)',
    ]);
  });

  it('reports unsatisfied imports and cycles', () => {
    const tree = buildTree([
      capsule('a', '[exports.t]\na = "1.0.0"\n[imports.t]\nb = "^1"\n'),
      capsule('b', '[exports.t]\nb = "1.0.0"\n[imports.t]\na = "^1"\n'),
      capsule('needy', '[imports.t]\nnothing = "^1"\n'),
    ]);
    expect(tree.cycle).toEqual(['a', 'b']);
    expect(tree.unsatisfied).toEqual([
      {
        capsule: 'needy',
        reason: "capsule 'needy' imports t:nothing ^1, which no installed capsule exports",
      },
    ]);
    const lines = renderTree(tree);
    expect(lines).toContain('needy 1.0.0');
    expect(lines).toContain('└── t/nothing ^1 (missing)');
    expect(lines).toContain('└── b 1.0.0 (t/b ^1)');
    expect(lines).toContain('    └── a 1.0.0 (t/a ^1) (cycle)');
  });
});
