import type { Command } from 'commander';
import { type CliKit, formatOf } from '../../command-kit.js';
import { busPublish } from './bus-publish.js';
import { busTail } from './bus-tail.js';
import { parseCount, parseTimeoutSecs } from './tail-options.js';

/** Registers the `bus` verbs. */
export function register(program: Command, kit: CliKit): void {
  const bus = program.command('bus').description('Publish on and watch the event bus');
  bus
    .command('publish')
    .description('Publish one raw_json message as the active agent')
    .argument('<topic>', 'topic to publish on (segments of [a-z0-9_-], no wildcards)')
    .argument('<json>', 'the payload as JSON, or - to read it from stdin')
    .option('--format <format>', 'output format: pretty, json, yaml or toml')
    .action(async (topic: string, json: string, _opts: unknown, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) => busPublish(session, topic, json, format));
    });
  bus
    .command('tail')
    .description(
      'Print messages whose topic matches a pattern until Ctrl-C, -n messages or the timeout',
    )
    .argument('<pattern>', "topic pattern; a trailing '*' matches any depth (e.g. 'test.*')")
    .option('-n, --count <n>', 'stop after N messages (with --timeout: fail if fewer arrive)')
    .option('--timeout <seconds>', 'stop after this many seconds')
    .option('--format <format>', 'pretty lines, or json (one object per line), yaml or toml')
    .action(async (pattern: string, opts: { count?: string; timeout?: string }, cmd: Command) => {
      const format = formatOf(cmd);
      await kit.run(format, (session) =>
        busTail(session, {
          pattern,
          count: opts.count === undefined ? null : parseCount(opts.count),
          timeoutSecs: opts.timeout === undefined ? null : parseTimeoutSecs(opts.timeout),
          format,
        }),
      );
    });
}
