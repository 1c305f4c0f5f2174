/**
 * The structured-logging seam every layer writes through. pino's logger
 * satisfies it; tests and libraries default to `silentLogger`. Security-relevant
 * lines carry `security_event: true`; secrets are never logged.
 */
export interface LogFn {
  (fields: Record<string, unknown>, message?: string): void;
  (message: string): void;
}

export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

const noop: LogFn = () => {};

export const silentLogger: Logger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};

/** A logger that records lines in memory, for tests that assert what was logged. */
export interface RecordedLine {
  readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  readonly fields: Record<string, unknown>;
  readonly message: string | undefined;
}

export function recordingLogger(
  lines: RecordedLine[] = [],
  bindings: Record<string, unknown> = {},
): Logger & {
  lines: RecordedLine[];
} {
  const at =
    (level: RecordedLine['level']): LogFn =>
    (a: Record<string, unknown> | string, b?: string) => {
      if (typeof a === 'string') lines.push({ level, fields: { ...bindings }, message: a });
      else lines.push({ level, fields: { ...bindings, ...a }, message: b });
    };
  return {
    lines,
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => recordingLogger(lines, { ...bindings, ...more }),
  };
}
