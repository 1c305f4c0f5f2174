#!/usr/bin/env node
import { daemonMain } from '../daemon/daemon-main.js';

const code = await daemonMain(process.argv.slice(2));
process.exit(code);
