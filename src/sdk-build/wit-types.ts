import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository's `wit/` directory (the kernel world and the astrid:* packages). */
export const WIT_DIR = fileURLToPath(new URL('../../wit', import.meta.url));

let preopened = false;

/**
 * jco's type generator runs as a component over the preview2 filesystem
 * shim, which sees no directories until one is pre-opened. Opens `/`.
 */
async function preopenRoot(): Promise<void> {
  if (preopened) return;
  const require = createRequire(import.meta.url);
  const jcoEntry = require.resolve('@bytecodealliance/jco-transpile');
  const jcoRoot = jcoEntry.slice(0, jcoEntry.lastIndexOf('/dist/'));
  const candidates = [
    join(jcoRoot, 'node_modules/@bytecodealliance/preview2-shim/dist/nodejs/filesystem.js'),
  ];
  for (const path of candidates) {
    try {
      const shim = (await import(pathToFileURL(path).href)) as {
        _setPreopens(p: Record<string, string>): void;
      };
      shim._setPreopens({ '/': '/' });
      preopened = true;
      return;
    } catch {
      // try the next layout
    }
  }
  throw new Error('cannot find the preview2 filesystem shim that jco-transpile uses');
}

/**
 * TypeScript declarations (`declare module 'astrid:…'`) for every
 * interface of the kernel world, as a guest sees them: file name → text.
 */
export async function guestTypeDeclarations(): Promise<Map<string, string>> {
  await preopenRoot();
  const { generateGuestTypes } = await import('@bytecodealliance/jco-transpile');
  const files = await generateGuestTypes(WIT_DIR, {
    worldName: 'kernel:host/capsule',
    guest: true,
  });
  const out = new Map<string, string>();
  const decoder = new TextDecoder();
  for (const [name, bytes] of Object.entries(files)) {
    if (!name.startsWith('interfaces/')) continue;
    out.set(name.slice('interfaces/'.length), decoder.decode(bytes as Uint8Array));
  }
  return out;
}
