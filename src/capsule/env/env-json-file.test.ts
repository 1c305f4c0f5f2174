import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import {
  deleteEnvValue,
  parseEnvJson,
  readEnvJson,
  renderEnvJson,
  setEnvValue,
} from './env-json-file.js';

describe('env-json files', () => {
  it('parses flat string objects and refuses anything else', () => {
    expect(parseEnvJson('{"A":"1"}', 'f')).toEqual({ A: '1' });
    expect(() => parseEnvJson('{"A":1}', 'f.json')).toThrow(/f\.json must be a flat JSON object/);
    expect(() => parseEnvJson('[]', 'f')).toThrow(/flat JSON object/);
    expect(() => parseEnvJson('{', 'f')).toThrow(/not valid JSON/);
  });

  it('renders sorted pretty JSON', () => {
    expect(renderEnvJson({ B: '2', A: '1' })).toBe('{\n  "A": "1",\n  "B": "2"\n}\n');
  });

  it('sets and deletes keys in a 0600 file inside a 0700 directory', async () => {
    const path = join(await tempDir(), 'home', 'alice', '.config', 'env', 'default.env.json');
    expect(await readEnvJson(path)).toBeNull();
    await setEnvValue(path, 'A', '1');
    await setEnvValue(path, 'B', '2');
    expect(await readEnvJson(path)).toEqual({ A: '1', B: '2' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(path, '..'))).mode & 0o777).toBe(0o700);
    expect(await deleteEnvValue(path, 'A')).toBe(true);
    expect(await deleteEnvValue(path, 'A')).toBe(false);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ B: '2' });
  });

  it('never overwrites a damaged file', async () => {
    const dir = await tempDir();
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'x.env.json');
    await writeFile(path, 'not json');
    await expect(setEnvValue(path, 'A', '1')).rejects.toThrow(/not valid JSON/);
    expect(await readFile(path, 'utf8')).toBe('not json');
  });
});
