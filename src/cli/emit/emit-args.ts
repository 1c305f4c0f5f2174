/** What `astrid-emit`'s command line asks for. */
export type EmitArgs =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'publish'; readonly topic: string }
  | { readonly kind: 'error'; readonly message: string };

export const EMIT_USAGE = `Usage: astrid-emit <TOPIC>
       astrid-emit --topic <TOPIC>

Publishes a hook event on the Astrid bus: stdin (up to 10 MiB) becomes the
payload of {"hook", "payload", "correlation_id", "principal_id", "session_id",
"token"} on TOPIC. Needs ASTRID_PRINCIPAL_ID, ASTRID_SESSION_ID and
ASTRID_HOOK_TOKEN. Always prints {"continue":true}; exits 0 when the message
was published, 1 otherwise.

Options:
  --topic <TOPIC>  the topic to publish on (instead of the positional TOPIC)
  -h, --help       show this help
  -V, --version    show the version
`;

/**
 * Parses argv (without node and the script): exactly one topic, given
 * positionally or with `--topic`/`--topic=`. `--` ends the options. Pure.
 */
export function parseEmitArgs(argv: readonly string[]): EmitArgs {
  const topics: string[] = [];
  let options = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (options && arg === '--') {
      options = false;
    } else if (options && (arg === '-h' || arg === '--help')) {
      return { kind: 'help' };
    } else if (options && (arg === '-V' || arg === '--version')) {
      return { kind: 'version' };
    } else if (options && arg === '--topic') {
      const value = argv[i + 1];
      if (value === undefined) return { kind: 'error', message: '--topic needs a value' };
      topics.push(value);
      i++;
    } else if (options && arg.startsWith('--topic=')) {
      topics.push(arg.slice('--topic='.length));
    } else if (options && arg.startsWith('-') && arg !== '-') {
      return { kind: 'error', message: `unknown option ${arg} (see astrid-emit --help)` };
    } else {
      topics.push(arg);
    }
  }
  if (topics.length === 0)
    return { kind: 'error', message: 'no topic given: astrid-emit <TOPIC> or --topic <TOPIC>' };
  if (topics.length > 1)
    return {
      kind: 'error',
      message: `exactly one topic is allowed (got ${topics.map((t) => JSON.stringify(t)).join(', ')})`,
    };
  const topic = topics[0] as string;
  if (topic.length === 0) return { kind: 'error', message: 'the topic must not be empty' };
  return { kind: 'publish', topic };
}
