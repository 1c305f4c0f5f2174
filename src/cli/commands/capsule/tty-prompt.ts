import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { AstridError } from '../../../core/errors.js';

/** Whether prompts can be shown: stdin and stderr are both terminals. */
export function canPrompt(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/**
 * Asks one question on stderr and reads a line from the terminal. `hidden`
 * input is not echoed (secrets). Ctrl-C or end of input cancels the prompt
 * (an error, so nothing half-entered is stored).
 */
export function ask(question: string, options: { hidden?: boolean } = {}): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve, reject) => {
    let answered = false;
    process.stderr.write(question);
    muted = options.hidden === true;
    rl.on('SIGINT', () => rl.close());
    rl.once('close', () => {
      if (muted) process.stderr.write('\n');
      if (!answered) reject(new AstridError('invalid-input', 'cancelled at the prompt'));
    });
    rl.question('', (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
  });
}
