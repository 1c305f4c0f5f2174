import type { Command } from 'commander';

/** The `--format` values every listing verb accepts (commander sees a free-form value). */
export const FORMAT_CHOICES = ['pretty', 'json', 'yaml', 'toml'] as const;

export interface CompletionOption {
  /** `-f`, `--follow`, … */
  readonly short: string | null;
  readonly long: string | null;
  readonly description: string;
  readonly takesValue: boolean;
  /** Values to offer for the option's argument, or null for free input. */
  readonly choices: readonly string[] | null;
}

export interface CompletionArgument {
  readonly name: string;
  readonly choices: readonly string[] | null;
}

/** A command as shell completion sees it: its subcommands, options and positional arguments. */
export interface CompletionNode {
  readonly name: string;
  readonly description: string;
  readonly options: readonly CompletionOption[];
  readonly args: readonly CompletionArgument[];
  readonly commands: readonly CompletionNode[];
}

/** Walks a commander tree (visible commands and options only, help included). */
export function completionTree(command: Command): CompletionNode {
  const help = command.createHelp();
  return {
    name: command.name(),
    description: command.summary() || command.description().split('\n')[0] || '',
    options: help.visibleOptions(command).map((o) => ({
      short: o.short ?? null,
      long: o.long ?? null,
      description: o.description,
      takesValue: o.required || o.optional,
      choices:
        o.argChoices ??
        (o.long === '--format' && (o.required || o.optional) ? FORMAT_CHOICES : null),
    })),
    args: command.registeredArguments.map((a) => ({
      name: a.name(),
      choices: a.argChoices ?? null,
    })),
    commands: help.visibleCommands(command).map((c) => completionTree(c)),
  };
}

/** Every command path below the root, depth first: `[['agent'], ['agent', 'list'], …]`. Pure. */
export function commandPaths(
  node: CompletionNode,
  prefix: readonly string[] = [],
): { path: string[]; node: CompletionNode }[] {
  const here = { path: [...prefix], node };
  return [here, ...node.commands.flatMap((c) => commandPaths(c, [...prefix, c.name]))];
}
