import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadCapsule } from '@astrid/sdk/testing';

let capsule;

// The first build runs ComponentizeJS (about 20 s); later runs hit the build cache.
before(async () => {
  capsule = await loadCapsule(fileURLToPath(new URL('..', import.meta.url)));
});

after(async () => {
  await capsule?.close();
});

beforeEach(() => {
  capsule.clearPublished();
});

test('greets whoever says hello', async () => {
  await capsule.publish('{{name}}.v1.hello', { name: 'Ada' });
  assert.deepEqual(
    capsule.published('{{name}}.v1.greeting').map((m) => m.payload),
    [{ greeting: 'Hello, Ada!' }],
  );
});

test('greets the world when no name is given', async () => {
  await capsule.publish('{{name}}.v1.hello', {});
  const message = await capsule.waitFor('{{name}}.v1.greeting');
  assert.deepEqual(message.payload, { greeting: 'Hello, world!' });
});

test('describes its tool to agents', async () => {
  const tools = await capsule.describeTools();
  assert.deepEqual(
    tools.map((t) => t.name),
    ['{{tool}}'],
  );
});

test('stores a note per user and counts them', async () => {
  const result = await capsule.callTool('{{tool}}', { key: 'greeting', note: 'say hi' });
  assert.equal(result.isError, false);
  assert.deepEqual(result.value, { key: 'greeting', notes: 1 });
  assert.equal(capsule.kv().getText('note:greeting'), 'say hi');

  const other = await capsule.callTool(
    '{{tool}}',
    { key: 'todo', note: 'buy milk' },
    { principal: 'alice' },
  );
  assert.deepEqual(other.value, { key: 'todo', notes: 1 });
  assert.equal(capsule.kv('alice').getText('note:todo'), 'buy milk');
  assert.equal(capsule.kv().getText('note:todo'), undefined);
});

test('answers a bad call with an error result', async () => {
  const result = await capsule.callTool('{{tool}}', { note: 'no key' });
  assert.equal(result.isError, true);
  assert.match(result.content, /"key" must be a non-empty string/);
});
