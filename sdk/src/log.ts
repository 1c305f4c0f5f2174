/// <reference path="./wit/astrid-sys-host.d.ts" />
import * as sys from 'astrid:sys/host@1.0.0';

/** Appends a line to the capsule's log (`astrid logs <capsule>`). */
export const log = {
  trace: (message: string) => sys.log('trace', message),
  debug: (message: string) => sys.log('debug', message),
  info: (message: string) => sys.log('info', message),
  warn: (message: string) => sys.log('warn', message),
  error: (message: string) => sys.log('error', message),
} as const;
