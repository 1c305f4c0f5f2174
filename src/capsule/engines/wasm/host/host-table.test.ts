import { describe, expect, it } from 'vitest';
import { HOST_INTERFACE_SHAPES } from './host-interfaces.js';
import { defaultHostTable, IMPLEMENTED_INTERFACES, missingHostInterfaces } from './host-table.js';

describe('host table', () => {
  it('every function and method of every implemented interface has a host function', () => {
    const table = defaultHostTable();
    const missing: string[] = [];
    for (const iface of IMPLEMENTED_INTERFACES) {
      const shape = HOST_INTERFACE_SHAPES[iface];
      if (shape === undefined) continue;
      for (const fn of shape.functions)
        if (!table.has(`${iface}#${fn}`)) missing.push(`${iface}#${fn}`);
      for (const [resource, methods] of Object.entries(shape.resources)) {
        for (const m of methods)
          if (!table.has(`${iface}#${resource}.${m}`)) missing.push(`${iface}#${resource}.${m}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('implements every interface of the kernel world', () => {
    expect([...IMPLEMENTED_INTERFACES].sort()).toEqual(Object.keys(HOST_INTERFACE_SHAPES).sort());
  });

  it('refuses components that import an interface the kernel world does not offer', () => {
    expect(
      missingHostInterfaces([
        'astrid:kv/host@1.0.0',
        'astrid:http/host@1.0.0',
        'wasi:http/outgoing-handler@0.2.0',
        'astrid:http/host@1.1.0',
      ]),
    ).toEqual(['wasi:http/outgoing-handler@0.2.0', 'astrid:http/host@1.1.0']);
  });
});
