// Regenerates sdk/src/wit/*.d.ts (the guest's view of the astrid:* interfaces) from wit/.
import { readdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { guestTypeDeclarations } from '../src/sdk-build/wit-types.js';

const out = fileURLToPath(new URL('../sdk/src/wit/', import.meta.url));
const files = await guestTypeDeclarations();
for (const old of await readdir(out)) if (!files.has(old)) await rm(`${out}${old}`);
for (const [name, text] of files) await writeFile(`${out}${name}`, text);
console.log(`wrote ${files.size} declaration files to sdk/src/wit/`);
