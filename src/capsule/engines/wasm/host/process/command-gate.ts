/**
 * Whether `host_process` allows a command line. An entry is a command and
 * optionally leading arguments, split on whitespace; it allows a spawn when
 * its words are a prefix of `[cmd, ...args]`, compared word by word. So
 * `git status` allows `git status --short` but not `git push`, and `echo`
 * allows `echo` with any arguments. Pure.
 */
export function commandAllowed(
  entries: readonly string[],
  cmd: string,
  args: readonly string[],
): boolean {
  const line = [cmd, ...args];
  for (const entry of entries) {
    const words = entry
      .trim()
      .split(/\s+/)
      .filter((w) => w.length > 0);
    if (words.length === 0 || words.length > line.length) continue;
    if (words.every((w, i) => w === line[i])) return true;
  }
  return false;
}

/** The command line as shown in `process-info.command`: the words joined by spaces. Pure. */
export function commandLine(cmd: string, args: readonly string[]): string {
  return [cmd, ...args].join(' ');
}
