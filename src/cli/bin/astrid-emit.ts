#!/usr/bin/env node
import { emitMain } from '../emit/emit-main.js';
import { processIo } from '../output.js';

const code = await emitMain(process.argv.slice(2), processIo(), process.env, process.stdin);
process.exitCode = code;
// Nothing should keep the process alive now; if something does, do not hang the hook.
setTimeout(() => process.exit(code), 2000).unref();
