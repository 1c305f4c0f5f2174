import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadManifest } from '../../../capsule/manifest/load-manifest.js';
import { effectiveInterceptors } from '../../../capsule/manifest/manifest-views.js';
import { packageJson, projectPath, renderTemplate, templateVars } from './capsule-template.js';
import { astridInstallation } from './installation.js';

const temps: string[] = [];
afterEach(async () => {
  for (const d of temps.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('templateVars', () => {
  it('derives the demo tool from the capsule name', () => {
    expect(templateVars('demo')).toEqual({ name: 'demo', tool: 'demo_remember' });
    expect(templateVars('my-cap2')).toEqual({ name: 'my-cap2', tool: 'my_cap2_remember' });
  });

  it('refuses names that are not capsule ids, or too long for the tool name', () => {
    expect(() => templateVars('Demo')).toThrow(/use only lowercase letters, digits and '-'/);
    expect(() => templateVars('-x')).toThrow(/must not start or end with '-'/);
    expect(() => templateVars('')).toThrow(/must not be empty/);
    expect(templateVars('a'.repeat(55)).tool).toHaveLength(64);
    expect(() => templateVars('a'.repeat(56))).toThrow(
      /too long for the template \(at most 55 characters\)/,
    );
  });
});

describe('renderTemplate', () => {
  it('replaces every placeholder and refuses unknown ones', () => {
    const vars = templateVars('demo');
    expect(renderTemplate('{{name}}.v1.x {{tool}} {{name}}', vars, 'f')).toBe(
      'demo.v1.x demo_remember demo',
    );
    expect(() => renderTemplate('{{nope}}', vars, 'src/x.ts')).toThrow(
      'template src/x.ts uses an unknown placeholder {{nope}}',
    );
  });

  it('turns gitignore into .gitignore and leaves other paths alone', () => {
    expect(projectPath('gitignore')).toBe('.gitignore');
    expect(projectPath('src/index.ts')).toBe('src/index.ts');
  });
});

describe('packageJson', () => {
  it('links the SDK and the CLI of this installation and sets the test and build scripts', () => {
    expect(JSON.parse(packageJson('demo', '/opt/astrid/sdk', '/opt/astrid'))).toEqual({
      name: 'demo',
      version: '0.1.0',
      private: true,
      type: 'module',
      scripts: { test: 'node --test test/', build: 'astrid build' },
      dependencies: { '@astrid/sdk': 'file:/opt/astrid/sdk', astrid: 'file:/opt/astrid' },
    });
  });
});

describe('the capsule template', () => {
  it('renders to a valid Capsule.toml: the component, the greet handler and the tool bindings', async () => {
    const { capsuleTemplate } = astridInstallation();
    const dir = await mkdtemp(join(tmpdir(), 'astrid-template-'));
    temps.push(dir);
    const text = await readFile(join(capsuleTemplate, 'Capsule.toml'), 'utf8');
    await writeFile(join(dir, 'Capsule.toml'), renderTemplate(text, templateVars('demo'), 'x'));
    const { manifest, warnings } = await loadManifest(dir);
    expect(warnings).toEqual([]);
    expect(manifest.package.name).toBe('demo');
    expect(manifest.components.map((c) => c.file)).toEqual(['demo.wasm']);
    expect(
      effectiveInterceptors(manifest)
        .map((i) => `${i.event} → ${i.action}`)
        .sort(),
    ).toEqual([
      'demo.v1.hello → greet',
      'tool.v1.execute.demo_remember → tool_execute',
      'tool.v1.request.describe → tool_describe',
    ]);
    expect(manifest.publish.map((p) => p.topic).sort()).toEqual([
      'demo.v1.greeting',
      'tool.v1.execute.demo_remember.result',
      'tool.v1.response.describe',
    ]);
  });

  it('uses only known placeholders in every file', async () => {
    const { capsuleTemplate } = astridInstallation();
    const files: string[] = [];
    const walk = async (rel: string) => {
      for (const e of await readdir(join(capsuleTemplate, rel), { withFileTypes: true })) {
        const child = rel === '' ? e.name : `${rel}/${e.name}`;
        if (e.isDirectory()) await walk(child);
        else files.push(child);
      }
    };
    await walk('');
    expect(files.sort()).toEqual([
      'Capsule.toml',
      'README.md',
      'gitignore',
      'src/index.ts',
      'test/capsule.test.mjs',
      'tsconfig.json',
    ]);
    for (const file of files) {
      const out = renderTemplate(
        await readFile(join(capsuleTemplate, file), 'utf8'),
        templateVars('demo'),
        file,
      );
      expect(out).not.toMatch(/\{\{|\}\}/);
    }
  });
});
