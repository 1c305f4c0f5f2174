import type { Command } from 'commander';
import type { CliKit } from '../../command-kit.js';

/** Registers the `gc` verbs. */
export function register(_program: Command, _kit: CliKit): void {}
