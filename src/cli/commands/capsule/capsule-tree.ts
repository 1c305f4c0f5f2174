import { planBoot, provides } from '../../../capsule/discovery/boot-order.js';
import type { CapsuleManifest } from '../../../capsule/manifest/manifest.js';

export interface TreeInput {
  readonly dir: string;
  readonly manifest: CapsuleManifest;
}

export interface TreeImport {
  /** `namespace/interface`. */
  readonly interface: string;
  readonly requirement: string;
  readonly optional: boolean;
  /** Capsules whose export satisfies the requirement. */
  readonly providers: readonly string[];
}

export interface TreeNode {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly imports: readonly TreeImport[];
  readonly exports: readonly { readonly interface: string; readonly version: string }[];
}

export interface CapsuleTree {
  /** The daemon's boot order (providers first); capsules it will not load are left out. */
  readonly order: readonly string[];
  readonly capsules: readonly TreeNode[];
  /** Capsules with a required import nobody exports (the daemon does not load them). */
  readonly unsatisfied: readonly { readonly capsule: string; readonly reason: string }[];
  readonly cycle: readonly string[] | null;
}

/**
 * The dependency graph of installed capsules as the daemon sees it: each
 * import with the capsules that satisfy it, and the boot plan (order,
 * unsatisfiable imports, cycles) from the boot-order planner. Capsules come
 * in boot order, then the ones that will not load. Pure.
 */
export function buildTree(inputs: readonly TreeInput[]): CapsuleTree {
  const plan = planBoot(inputs.map((i) => i.manifest));
  const byName = new Map(inputs.map((i) => [i.manifest.package.name as string, i]));
  const nodes = (name: string): TreeNode => {
    const { dir, manifest } = byName.get(name) as TreeInput;
    return {
      name,
      version: manifest.package.version,
      dir,
      imports: manifest.imports.map((imp) => ({
        interface: `${imp.namespace}/${imp.interface}`,
        requirement: imp.requirement.source,
        optional: imp.optional,
        providers: inputs
          .filter((p) => p.manifest !== manifest && provides(p.manifest, imp))
          .map((p) => p.manifest.package.name as string),
      })),
      exports: manifest.exports.map((e) => ({
        interface: `${e.namespace}/${e.interface}`,
        version: e.version,
      })),
    };
  };
  const order = [...plan.order] as string[];
  const rest = inputs
    .map((i) => i.manifest.package.name as string)
    .filter((n) => !order.includes(n));
  return {
    order,
    capsules: [...order, ...rest].map(nodes),
    unsatisfied: [...plan.unsatisfied].map(([capsule, reason]) => ({ capsule, reason })),
    cycle: plan.cycle === null ? null : [...plan.cycle],
  };
}

/**
 * Renders the tree cargo-style: every capsule nothing depends on is a root,
 * its providers nested under it with the interface that links them; a node
 * already expanded is marked `(*)`, a cycle `(cycle)`, an unmet import
 * `(missing)` or `(optional, not provided)`. Pure.
 */
export function renderTree(tree: CapsuleTree): string[] {
  const byName = new Map(tree.capsules.map((c) => [c.name, c]));
  const dependedOn = new Set(tree.capsules.flatMap((c) => c.imports.flatMap((i) => i.providers)));
  const expanded = new Set<string>();
  const lines: string[] = [];
  const walk = (node: TreeNode, prefix: string, path: readonly string[]) => {
    expanded.add(node.name);
    const children: { label: string; next: TreeNode | null }[] = [];
    for (const imp of node.imports) {
      const link = `${imp.interface} ${imp.requirement}`;
      if (imp.providers.length === 0) {
        children.push({
          label: `${link} (${imp.optional ? 'optional, not provided' : 'missing'})`,
          next: null,
        });
        continue;
      }
      for (const p of imp.providers) {
        const provider = byName.get(p) as TreeNode;
        const head = `${p} ${provider.version} (${link})`;
        if (path.includes(p)) children.push({ label: `${head} (cycle)`, next: null });
        else if (expanded.has(p) && provider.imports.length > 0)
          children.push({ label: `${head} (*)`, next: null });
        else children.push({ label: head, next: provider });
      }
    }
    children.forEach((child, i) => {
      const last = i === children.length - 1;
      lines.push(`${prefix}${last ? '└── ' : '├── '}${child.label}`);
      if (child.next !== null)
        walk(child.next, `${prefix}${last ? '    ' : '│   '}`, [...path, child.next.name]);
    });
  };
  const roots = tree.capsules.filter((c) => !dependedOn.has(c.name));
  for (const root of roots) {
    lines.push(`${root.name} ${root.version}`);
    walk(root, '', [root.name]);
  }
  for (const c of tree.capsules) {
    if (expanded.has(c.name)) continue;
    lines.push(`${c.name} ${c.version}`);
    walk(c, '', [c.name]);
  }
  return lines;
}
