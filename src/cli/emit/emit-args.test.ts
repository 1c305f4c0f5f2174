import { describe, expect, it } from 'vitest';
import { parseEmitArgs } from './emit-args.js';

describe('parseEmitArgs', () => {
  it('takes the topic positionally or with --topic', () => {
    expect(parseEmitArgs(['hooks.pre_tool'])).toEqual({ kind: 'publish', topic: 'hooks.pre_tool' });
    expect(parseEmitArgs(['--topic', 'a.b'])).toEqual({ kind: 'publish', topic: 'a.b' });
    expect(parseEmitArgs(['--topic=a.b'])).toEqual({ kind: 'publish', topic: 'a.b' });
    expect(parseEmitArgs(['--', '-x'])).toEqual({ kind: 'publish', topic: '-x' });
  });

  it('answers --help and --version', () => {
    expect(parseEmitArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseEmitArgs(['a.b', '-h'])).toEqual({ kind: 'help' });
    expect(parseEmitArgs(['-V'])).toEqual({ kind: 'version' });
  });

  it.each([
    [[], 'no topic given'],
    [['a.b', 'c.d'], 'exactly one topic is allowed'],
    [['a.b', '--topic', 'c.d'], 'exactly one topic is allowed'],
    [['--topic'], '--topic needs a value'],
    [['--topic='], 'the topic must not be empty'],
    [['--bogus', 'a.b'], 'unknown option --bogus'],
  ])('refuses %j', (argv, message) => {
    const parsed = parseEmitArgs(argv);
    expect(parsed.kind).toBe('error');
    expect(parsed.kind === 'error' && parsed.message).toContain(message);
  });
});
