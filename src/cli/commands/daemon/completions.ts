import type { Command } from 'commander';
import type { CliIo } from '../../output.js';
import { completionScript, type Shell } from './completion-scripts.js';
import { completionTree } from './completion-tree.js';

/** `astrid completions <bash|zsh|fish>`: a script generated from the live command tree. */
export function completionsVerb(io: CliIo, root: Command, shell: Shell): number {
  io.out(completionScript(shell, completionTree(root)));
  return 0;
}
