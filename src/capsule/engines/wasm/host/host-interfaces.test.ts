import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOST_INTERFACES } from '../pipeline/inspect/import-policy.js';
import { WIT_DIR } from '../wit/astrid-wit.js';
import { HOST_INTERFACE_SHAPES } from './host-interfaces.js';

const camel = (s: string) =>
  s.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()).replace(/^%/, '');
const pascal = (s: string) => camel(s).replace(/^./, (c) => c.toUpperCase());

/** Reads `interface <name> { … }` blocks: free functions and resource methods. */
function witShapes(): Record<string, { functions: string[]; resources: Record<string, string[]> }> {
  const out: Record<string, { functions: string[]; resources: Record<string, string[]> }> = {};
  for (const pkg of [
    'io',
    'sys',
    'ipc',
    'kv',
    'fs',
    'http',
    'net',
    'process',
    'identity',
    'approval',
    'elicit',
    'uplink',
    'guest',
  ]) {
    const text = readFileSync(join(WIT_DIR, 'deps', pkg, `${pkg}.wit`), 'utf8').replace(
      /\/\/.*$/gm,
      '',
    );
    const pkgName = /package\s+([^;]+);/.exec(text)?.[1] as string;
    const [ns, version] = pkgName.split('@') as [string, string];
    for (const m of text.matchAll(/interface\s+([a-z-]+)\s*\{/g)) {
      let depth = 0;
      let i = (m.index as number) + m[0].length - 1;
      const start = i;
      for (; i < text.length; i++) {
        if (text[i] === '{') depth++;
        else if (text[i] === '}' && --depth === 0) break;
      }
      const body = text.slice(start + 1, i);
      const resources: Record<string, string[]> = {};
      let stripped = body;
      for (const r of body.matchAll(/resource\s+([a-z-]+)\s*\{([^}]*)\}/g)) {
        resources[pascal(r[1] as string)] = [
          ...(r[2] as string).matchAll(/([a-z%][a-z-]*)\s*:\s*func/g),
        ].map((f) => camel(f[1] as string));
        stripped = stripped.replace(r[0], '');
      }
      const functions = [...stripped.matchAll(/([a-z%][a-z-]*)\s*:\s*func/g)].map((f) =>
        camel(f[1] as string),
      );
      out[`${ns}/${m[1]}@${version}`] = { functions, resources };
    }
  }
  return out;
}

describe('host interface shapes', () => {
  it('cover exactly the importable interfaces', () => {
    expect(Object.keys(HOST_INTERFACE_SHAPES).sort()).toEqual([...HOST_INTERFACES].sort());
  });

  it('match the WIT contract function by function', () => {
    const wit = witShapes();
    for (const iface of HOST_INTERFACES) {
      const shape = HOST_INTERFACE_SHAPES[iface];
      const fromWit = wit[iface];
      expect(fromWit, iface).toBeDefined();
      expect([...(shape?.functions ?? [])].sort(), iface).toEqual(
        [...(fromWit?.functions ?? [])].sort(),
      );
      expect(Object.keys(shape?.resources ?? {}).sort(), iface).toEqual(
        Object.keys(fromWit?.resources ?? {}).sort(),
      );
      for (const [name, methods] of Object.entries(shape?.resources ?? {})) {
        expect([...methods].sort(), `${iface} ${name}`).toEqual(
          [...(fromWit?.resources[name] ?? [])].sort(),
        );
      }
    }
  });
});
