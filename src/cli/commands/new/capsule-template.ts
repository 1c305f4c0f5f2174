import { AstridError } from '../../../core/errors.js';
import { checkCapsuleId } from '../../../core/ids/capsule-id.js';

/** What the template's `{{…}}` placeholders stand for. */
export interface TemplateVars {
  /** The capsule name (`[package] name`, the npm package name, the topic prefix). */
  readonly name: string;
  /** The demo tool: `<name with _ for ->_remember`. */
  readonly tool: string;
}

const TOOL_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const TOOL_SUFFIX = '_remember';

/** Checks a new capsule's name and derives the template values. Pure. */
export function templateVars(name: string): TemplateVars {
  const checked = checkCapsuleId(name);
  if (!checked.ok) throw checked.error;
  const tool = `${name.replaceAll('-', '_')}${TOOL_SUFFIX}`;
  if (!TOOL_NAME.test(tool))
    throw new AstridError(
      'invalid-input',
      `capsule name ${JSON.stringify(name)} is too long for the template (at most ${64 - TOOL_SUFFIX.length} characters)`,
    );
  return { name, tool };
}

const PLACEHOLDER = /\{\{([a-zA-Z]+)\}\}/g;

/** Replaces every `{{key}}` with its value; an unknown key is a defect in the template. Pure. */
export function renderTemplate(text: string, vars: TemplateVars, file: string): string {
  return text.replace(PLACEHOLDER, (_whole, key: string) => {
    if (key !== 'name' && key !== 'tool')
      throw new AstridError('internal', `template ${file} uses an unknown placeholder {{${key}}}`);
    return vars[key];
  });
}

/**
 * Where a template file goes in the project: `gitignore` becomes
 * `.gitignore` (npm would drop a dotfile of that name from the published
 * package). Pure.
 */
export function projectPath(templatePath: string): string {
  return templatePath === 'gitignore' ? '.gitignore' : templatePath;
}

/**
 * The project's package.json: the test and build scripts, and the SDK and
 * the CLI as `file:` links to this installation (absolute paths), so the
 * project builds and tests with exactly the Astrid that created it. Pure.
 */
export function packageJson(name: string, sdkDir: string, astridDir: string): string {
  const pkg = {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: {
      test: 'node --test test/',
      build: 'astrid build',
    },
    dependencies: {
      '@astrid/sdk': `file:${sdkDir}`,
      astrid: `file:${astridDir}`,
    },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
