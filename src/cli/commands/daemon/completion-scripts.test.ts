import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Argument, Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { bashScript, completionScript, fishScript, zshScript } from './completion-scripts.js';
import { commandPaths, completionTree } from './completion-tree.js';

function sampleProgram(): Command {
  const program = new Command('tool')
    .option('-v, --verbose', 'chatty')
    .option('--format <format>', 'output format');
  const agent = program.command('agent').description('Manage agents');
  agent.command('list').description('List agents').option('--format <format>', 'output format');
  agent.command('show').description("Show an agent's profile").argument('<name>');
  program
    .command('completions')
    .description('Print a completion script')
    .addArgument(new Argument('<shell>').choices(['bash', 'zsh', 'fish']));
  program
    .command('logs')
    .description('Print logs [newest]')
    .argument('[capsule]')
    .option('-n, --lines <n>', 'how many lines')
    .option('-f, --follow', 'keep going');
  program.command('hidden-one', { hidden: true });
  return program;
}

const dir = mkdtempSync(join(tmpdir(), 'astrid-compl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the generated bash completion for the typed words (the last one is being completed). */
function complete(script: string, words: string[]): string[] {
  const file = join(dir, 'tool.bash');
  writeFileSync(file, script);
  const array = words.map((w) => `'${w}'`).join(' ');
  const out = execFileSync(
    'bash',
    [
      '-c',
      `source ${file}; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _tool; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { encoding: 'utf8' },
  );
  return out.split('\n').filter((l) => l.length > 0);
}

describe('completionTree', () => {
  it('walks visible commands, options (with --format choices) and argument choices', () => {
    const tree = completionTree(sampleProgram());
    expect(tree.name).toBe('tool');
    expect(tree.commands.map((c) => c.name)).toEqual(['agent', 'completions', 'logs', 'help']);
    expect(tree.options.find((o) => o.long === '--format')).toMatchObject({
      takesValue: true,
      choices: ['pretty', 'json', 'yaml', 'toml'],
    });
    const completions = tree.commands.find((c) => c.name === 'completions');
    expect(completions?.args).toEqual([{ name: 'shell', choices: ['bash', 'zsh', 'fish'] }]);
    expect(commandPaths(tree).map((p) => p.path.join(' '))).toContain('agent list');
  });
});

describe('bashScript', () => {
  const script = bashScript(completionTree(sampleProgram()));

  it('offers the subcommands and options of the command typed so far', () => {
    const top = complete(script, ['tool', '']);
    expect(top).toEqual(
      expect.arrayContaining(['agent', 'completions', 'logs', '--verbose', '--format']),
    );
    expect(top).not.toContain('hidden-one');
    expect(complete(script, ['tool', 'agent', ''])).toEqual(
      expect.arrayContaining(['list', 'show']),
    );
    expect(complete(script, ['tool', 'agent', 'l'])).toEqual(['list']);
    expect(complete(script, ['tool', '-v', 'agent', 's'])).toEqual(['show']);
    expect(complete(script, ['tool', 'logs', '--f'])).toEqual(['--follow']);
  });

  it('completes option values and argument choices', () => {
    expect(complete(script, ['tool', 'agent', 'list', '--format', ''])).toEqual([
      'pretty',
      'json',
      'yaml',
      'toml',
    ]);
    expect(complete(script, ['tool', 'completions', 'z'])).toEqual(['zsh']);
    expect(complete(script, ['tool', 'logs', '-n', ''])).toEqual([]);
  });

  it('registers the function for the program name', () => {
    expect(script).toContain('complete -o default -F _tool tool');
  });
});

describe('zshScript', () => {
  const script = zshScript(completionTree(sampleProgram()));

  it('defines one function per command path and registers with compdef', () => {
    expect(script.startsWith('#compdef tool\n')).toBe(true);
    for (const fn of ['__tool()', '__tool__agent()', '__tool__agent__list()', '__tool__logs()'])
      expect(script).toContain(fn);
    expect(script).toContain("    'agent:Manage agents'");
    expect(script).toContain("        'list') __tool__agent__list ;;");
    expect(script).toContain('compdef _tool tool');
  });

  it('spells options, values and arguments for _arguments, escaping descriptions', () => {
    expect(script).toContain("'(-n --lines)'{-n+,--lines=}'[how many lines]:lines: '");
    expect(script).toContain("'--format=[output format]:format:(pretty json yaml toml)'");
    expect(script).toContain("'1:shell:(bash zsh fish)'");
    expect(script).toContain("'*:capsule:_files'");
    expect(script).toContain("    'show:Show an agent'\\''s profile'");
    expect(zshScript(completionTree(new Command('t').option('-x', 'a [b]: c')))).toContain(
      "'-x[a \\[b\\]\\: c]'",
    );
  });
});

describe('fishScript', () => {
  const script = fishScript(completionTree(sampleProgram()));

  it('conditions each completion on the command path typed so far', () => {
    expect(script).toContain("set -g __tool_command_paths 'tool agent' 'tool agent list'");
    expect(script).toContain(
      `complete -c tool -n '__tool_at "tool"' -f -a 'agent' -d 'Manage agents'`,
    );
    expect(script).toContain(
      `complete -c tool -n '__tool_at "tool agent list"' -l format -d 'output format' -x -a 'pretty json yaml toml'`,
    );
    expect(script).toContain(
      `complete -c tool -n '__tool_at "tool logs"' -s n -l lines -d 'how many lines' -r`,
    );
    expect(script).toContain(
      `complete -c tool -n '__tool_at "tool completions"' -f -a 'bash zsh fish' -d 'shell'`,
    );
    expect(script).toContain(`-d 'Show an agent\\'s profile'`);
  });
});

describe('completionScript', () => {
  it('dispatches on the shell', () => {
    const tree = completionTree(sampleProgram());
    expect(completionScript('bash', tree)).toBe(bashScript(tree));
    expect(completionScript('zsh', tree)).toBe(zshScript(tree));
    expect(completionScript('fish', tree)).toBe(fishScript(tree));
  });
});
