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

  it('refuses components that import an interface this build does not provide', () => {
    expect(missingHostInterfaces(['astrid:kv/host@1.0.0', 'astrid:http/host@1.0.0'])).toEqual([
      'astrid:http/host@1.0.0',
    ]);
  });
});
