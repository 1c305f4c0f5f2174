import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFromDirectory } from '../../src/capsule/install/install-capsule.js';
import { publicHexFromSeed } from '../../src/cli/keys/keypair-store.js';
import { AstridHome } from '../../src/storage/home/astrid-home.js';
import { capsuleSource } from '../helpers/capsule-source.js';
import { type DaemonProcess, newHome, startDaemon } from '../helpers/daemon-process.js';
import { runAstrid } from '../helpers/run-cli.js';

/**
 * `astrid keypair` (local key files), `astrid invite` (admin API through the
 * daemon) and `astrid secret` (local secret store / env-json files), driven
 * through the real binary against a real daemon.
 */
let d: DaemonProcess;
let home: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  home = await newHome('file');
  d = await startDaemon({ home });
  env = { ASTRID_HOME: home };
}, 60_000);

afterAll(async () => {
  await d?.stop();
});

const astrid = (...args: string[]) => runAstrid(args, env);
const mode = async (path: string) => (await stat(path)).mode & 0o777;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const keysDir = () => join(home, 'keys', 'local');

describe('astrid keypair', { timeout: 120_000 }, () => {
  it('generates a keypair with the right files and modes, and refuses to overwrite it', async () => {
    const r = await astrid('keypair', 'generate', '--name', 'laptop', '--note', 'work laptop');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const seed = await readFile(join(keysDir(), 'laptop.ed25519'));
    expect(seed.length).toBe(32);
    const pub = publicHexFromSeed(seed);
    expect(r.stdout).toBe(
      [
        '✓ generated keypair laptop',
        `  public key:  ${pub}`,
        `  fingerprint: ${sha256(`ed25519:${pub}`)}`,
        `  private key: ${join(keysDir(), 'laptop.ed25519')}`,
        'i redeem an invite with it: astrid invite redeem <TOKEN> --keypair laptop',
        '',
      ].join('\n'),
    );
    expect(await readFile(join(keysDir(), 'laptop.pub.hex'), 'utf8')).toBe(`${pub}\n`);
    expect(await mode(keysDir())).toBe(0o700);
    expect(await mode(join(keysDir(), 'laptop.ed25519'))).toBe(0o600);
    expect(await mode(join(keysDir(), 'laptop.pub.hex'))).toBe(0o644);
    expect(await mode(join(keysDir(), 'laptop.meta.toml'))).toBe(0o600);
    const meta = await readFile(join(keysDir(), 'laptop.meta.toml'), 'utf8');
    expect(meta).toMatch(/^schema_version = 1$/m);
    expect(meta).toContain(`fingerprint = "${sha256(`ed25519:${pub}`)}"`);
    expect(meta).toMatch(/^backend = "file"$/m);
    expect(meta).toMatch(/^note = "work laptop"$/m);

    const again = await astrid('keypair', 'generate', '--name', 'laptop');
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/^✗ error: keypair "laptop" already exists .*--force/);
    expect(await readFile(join(keysDir(), 'laptop.ed25519'))).toEqual(seed);
  });

  it('--raw prints only the public key; list, show and pubkey agree with the files', async () => {
    const raw = await astrid('keypair', 'generate', '--raw');
    expect(raw.code).toBe(0);
    expect(raw.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    const pub = raw.stdout.trim();

    const [listed, table, shown, hex, ssh] = await Promise.all([
      astrid('keypair', 'list', '--json'),
      astrid('keypair', 'list'),
      astrid('keypair', 'show', 'laptop', '--format', 'json'),
      astrid('keypair', 'pubkey', 'laptop'),
      astrid('keypair', 'pubkey', 'laptop', '--format', 'openssh'),
    ]);
    const keys = JSON.parse(listed.stdout) as { name: string; public_key: string }[];
    const generated = keys.find((k) => k.public_key === pub);
    expect(generated?.name).toMatch(/^key-[0-9a-f]{8}$/);
    expect(keys.map((k) => k.name)).toContain('laptop');
    expect(table.stdout.split('\n')[0]).toMatch(
      /^NAME\s+FINGERPRINT\s+BOUND PRINCIPAL\s+CREATED\s+NOTE$/,
    );
    expect(table.stdout).toMatch(/^laptop\s+[0-9a-f]{16}\s+-\s+\d{4}-.*Z\s+work laptop$/m);

    const laptopPub = (await readFile(join(keysDir(), 'laptop.pub.hex'), 'utf8')).trim();
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      name: 'laptop',
      public_key: laptopPub,
      fingerprint: sha256(`ed25519:${laptopPub}`),
      backend: 'file',
      note: 'work laptop',
      bound_principal: null,
    });
    expect(hex.stdout).toBe(`${laptopPub}\n`);
    const [type, b64, extra] = ssh.stdout.trim().split(' ');
    expect(type).toBe('ssh-ed25519');
    expect(extra).toBeUndefined();
    const blob = Buffer.from(b64 as string, 'base64');
    expect(blob.readUInt32BE(0)).toBe(11);
    expect(blob.subarray(4, 15).toString()).toBe('ssh-ed25519');
    expect(blob.readUInt32BE(15)).toBe(32);
    expect(blob.subarray(19).toString('hex')).toBe(laptopPub);
  });

  it('rejects invalid names and unknown keys', async () => {
    const [bad, dots, long, missing, fmt] = await Promise.all([
      astrid('keypair', 'generate', '--name', 'Bad_Name'),
      astrid('keypair', 'show', '../etc'),
      astrid('keypair', 'generate', '--name', 'k'.repeat(65)),
      astrid('keypair', 'show', 'nope'),
      astrid('keypair', 'pubkey', 'laptop', '--format', 'pem'),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/invalid keypair name "Bad_Name": use only lowercase letters/);
    expect(dots.code).toBe(1);
    expect(dots.stderr).toMatch(/invalid keypair name "\.\.\/etc"/);
    expect(long.code).toBe(1);
    expect(long.stderr).toMatch(/65 characters; the limit is 64/);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no keypair named "nope"/);
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toMatch(/use hex or openssh/);
    expect(
      (await readdir(keysDir())).some((f) => f.startsWith('Bad') || f.startsWith('k'.repeat(65))),
    ).toBe(false);
  });

  it('delete warns without --yes and removes every file with it', async () => {
    expect((await astrid('keypair', 'generate', '--name', 'doomed')).code).toBe(0);
    const warned = await astrid('keypair', 'delete', 'doomed');
    expect(warned.code).toBe(1);
    expect(warned.stdout).toBe('');
    expect(warned.stderr).toMatch(/^! this permanently deletes the private key of keypair doomed/);
    expect(warned.stderr).toContain('--yes');
    expect(existsSync(join(keysDir(), 'doomed.ed25519'))).toBe(true);
    const done = await astrid('keypair', 'delete', 'doomed', '--yes');
    expect(done.code).toBe(0);
    expect(done.stdout).toBe('✓ deleted keypair doomed\n');
    expect((await readdir(keysDir())).filter((f) => f.startsWith('doomed'))).toEqual([]);
  });
});

describe('astrid invite', { timeout: 120_000 }, () => {
  let first = '';
  let twoUse = '';

  it('issues invites: pretty, --raw and json; bad numbers are refused', async () => {
    const before = Math.floor(Date.now() / 1000);
    const [pretty, raw, json, zero, notNumber, badGroup] = await Promise.all([
      astrid('invite', 'issue', '--metadata', 'bob laptop'),
      astrid('invite', 'issue', '--raw', '--max-uses', '2'),
      astrid(
        'invite',
        'issue',
        '--format',
        'json',
        '--expires-secs',
        '60',
        '--metadata',
        '{"team":"ops"}',
      ),
      astrid('invite', 'issue', '--expires-secs', '0'),
      astrid('invite', 'issue', '--max-uses', 'many'),
      astrid('invite', 'issue', '--group', 'no-such-group'),
    ]);
    expect(pretty.stderr).toBe('');
    expect(pretty.code).toBe(0);
    const m =
      /^✓ issued (\S{32}) \(group: agent, uses: 1, metadata: bob laptop\)\nexpires at unix epoch (\d+)\n$/.exec(
        pretty.stdout,
      );
    expect(m).not.toBeNull();
    first = m?.[1] as string;
    const expires = Number(m?.[2]);
    expect(expires).toBeGreaterThanOrEqual(before + 86_400);
    expect(expires).toBeLessThan(before + 86_400 + 60);

    expect(raw.code).toBe(0);
    expect(raw.stdout).toMatch(/^[A-Za-z0-9_-]{32}\n$/);
    twoUse = raw.stdout.trim();

    expect(json.code).toBe(0);
    const issued = JSON.parse(json.stdout);
    expect(issued).toMatchObject({ group: 'agent', remaining_uses: 1, metadata: { team: 'ops' } });
    expect(issued.expires_at_epoch - before).toBeGreaterThanOrEqual(60);

    expect(zero.code).toBe(1);
    expect(zero.stderr).toMatch(
      /✗ error: kernel rejected request: expires_secs must be at least 1/,
    );
    expect(notNumber.code).toBe(2);
    expect(notNumber.stderr).toMatch(/--max-uses expects a whole number, got "many"/);
    expect(badGroup.code).toBe(1);
    expect(badGroup.stderr).toMatch(/group "no-such-group" does not exist/);
  });

  it('lists live invites by fingerprint, never by token', async () => {
    const [json, table] = await Promise.all([
      astrid('invite', 'list', '--json'),
      astrid('invite', 'list'),
    ]);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as { token_fingerprint: string; remaining_uses: number }[];
    const byFp = new Map(rows.map((r) => [r.token_fingerprint, r]));
    expect(byFp.get(sha256(first))?.remaining_uses).toBe(1);
    expect(byFp.get(sha256(twoUse))?.remaining_uses).toBe(2);
    expect(json.stdout).not.toContain(first);
    expect(table.stdout.split('\n')[0]).toMatch(/^FINGERPRINT\s+GROUP\s+USES\s+EXPIRES\s+LABEL$/);
    expect(table.stdout).toMatch(
      new RegExp(`^${sha256(first)}\\s+agent\\s+1\\s+\\d{4}-\\S+Z\\s+bob laptop$`, 'm'),
    );
    expect(table.stdout).toMatch(/\s+\{"team":"ops"\}$/m);
    expect(table.stdout).not.toContain(twoUse);
  });

  it('redeem needs a key option', async () => {
    const [none, both, badKey] = await Promise.all([
      astrid('invite', 'redeem', first),
      astrid('invite', 'redeem', first, '--keypair', 'laptop', '--public-key', 'ab'.repeat(32)),
      astrid('invite', 'redeem', first, '--public-key', 'xyz'),
    ]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/--keypair NAME .* or --public-key HEX/);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/either --public-key or --keypair, not both/);
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toMatch(/--public-key must be an ed25519 public key/);
  });

  it('redeem --public-key prints the principal and a next-step hint', async () => {
    const pub = 'AB'.repeat(32);
    const r = await astrid('invite', 'redeem', twoUse, '--public-key', `ed25519:${pub}`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const fp = sha256(`ed25519:${pub.toLowerCase()}`);
    expect(r.stdout).toMatch(
      new RegExp(
        `^✓ redeemed principal: (agent-[0-9a-f]{8}) \\(group: agent, key fp: ${fp}\\)\\ni next: act as it with \`astrid agent switch agent-[0-9a-f]{8}\`\\n$`,
      ),
    );
    expect(existsSync(join(home, 'run', 'cli-context.toml'))).toBe(false);
  });

  it('redeem --keypair --switch binds the key and switches; the new agent cannot issue invites', async () => {
    expect((await astrid('keypair', 'generate', '--name', 'bob-key')).code).toBe(0);
    const keyFp = sha256(
      `ed25519:${(await readFile(join(keysDir(), 'bob-key.pub.hex'), 'utf8')).trim()}`,
    );
    const r = await astrid(
      'invite',
      'redeem',
      first,
      '--keypair',
      'bob-key',
      '--display-name',
      'Bob Laptop',
      '--switch',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `✓ redeemed principal: bob-laptop (group: agent, key fp: ${keyFp})`,
        'i keypair bob-key is now bound to bob-laptop',
        '✓ active agent is now bob-laptop',
        '',
      ].join('\n'),
    );
    expect(await readFile(join(home, 'run', 'cli-context.toml'), 'utf8')).toMatch(
      /^active_agent = "bob-laptop"$/m,
    );

    const [shown, again, issue, list] = await Promise.all([
      astrid('keypair', 'show', 'bob-key', '--format', 'json'),
      astrid('invite', 'redeem', first, '--public-key', 'cd'.repeat(32)),
      astrid('invite', 'issue'),
      astrid('invite', 'list', '--format', 'json'),
    ]);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      bound_principal: 'bob-laptop',
      fingerprint: keyFp,
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/invite token invalid, expired, or already consumed/);
    expect(issue.code).toBe(1);
    expect(issue.stdout).toBe('');
    expect(issue.stderr).toMatch(/^✗ error: .*invite:issue/);
    expect(issue.stderr).toContain('hint: the active agent lacks this capability');
    expect(list.code).toBe(1);
    expect(JSON.parse(list.stdout)).toMatchObject({
      ok: false,
      error: { code: 'capability-denied' },
    });
  });

  it('revokes by token or fingerprint; an unknown one is not found', async () => {
    await writeFile(join(home, 'run', 'cli-context.toml'), 'active_agent = "default"\n');
    const issued = await astrid('invite', 'issue', '--raw');
    const token = issued.stdout.trim();
    const other = (await astrid('invite', 'issue', '--raw')).stdout.trim();
    const byFp = await astrid('invite', 'revoke', sha256(token));
    expect(byFp.stderr).toBe('');
    expect(byFp.code).toBe(0);
    expect(byFp.stdout).toBe('✓ revoked {"removed":1}\n');
    const [byToken, gone] = await Promise.all([
      astrid('invite', 'revoke', other, '--format', 'json'),
      astrid('invite', 'revoke', token),
    ]);
    expect(byToken.code).toBe(0);
    expect(JSON.parse(byToken.stdout)).toEqual({ removed: 1 });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/no invite matches the supplied token or fingerprint/);
    const left = JSON.parse((await astrid('invite', 'list', '--json')).stdout) as {
      token_fingerprint: string;
    }[];
    expect(left.map((r) => r.token_fingerprint)).not.toContain(sha256(token));
    expect(left.map((r) => r.token_fingerprint)).not.toContain(sha256(other));
  });
});

describe('astrid secret', { timeout: 120_000 }, () => {
  const secretsOf = (scope: string) => join(home, 'secrets', scope, 'weather');
  const envDir = join('home', 'alice', '.config', 'env');

  beforeAll(async () => {
    const src = await capsuleSource({
      name: 'weather',
      extraToml: '[env.API_KEY]\ntype = "Secret"\n\n[env.REGION]\ntype = "text"\n',
    });
    await installFromDirectory(src, new AstridHome(home));
  }, 60_000);

  it('sets a declared secret in the file store, and moves a plain-text copy out of env-json', async () => {
    await mkdir(join(home, envDir), { recursive: true, mode: 0o700 });
    await writeFile(join(home, envDir, 'weather.env.json'), '{"API_KEY":"old-plain"}', {
      mode: 0o600,
    });
    const legacy = await astrid('secret', 'list', '-a', 'alice', '--format', 'json');
    expect(JSON.parse(legacy.stdout)).toEqual([
      { capsule: 'weather', key: 'API_KEY', storage: 'env-json (LEGACY!)', scope: 'agent' },
    ]);

    const r = await astrid(
      'secret',
      'set',
      'API_KEY',
      'sk-live-123',
      '--capsule',
      'weather',
      '-a',
      'alice',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '✓ stored API_KEY for capsule weather in the secret store (scope: agent, agent alice)',
        `i removed the old plain-text copy of API_KEY from ${join(home, envDir, 'weather.env.json')}`,
        '',
      ].join('\n'),
    );
    expect(await readFile(join(secretsOf('alice'), 'API_KEY'), 'utf8')).toBe('sk-live-123');
    expect(await mode(join(secretsOf('alice'), 'API_KEY'))).toBe(0o600);
    expect(await mode(secretsOf('alice'))).toBe(0o700);
    expect(JSON.parse(await readFile(join(home, envDir, 'weather.env.json'), 'utf8'))).toEqual({});
  });

  it('reads "-" from stdin and stores shared secrets under __host__', async () => {
    const r = await runAstrid(
      ['secret', 'set', 'API_KEY', '-', '--capsule', 'weather', '--scope', 'shared'],
      env,
      'sk-shared-456\n',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '✓ stored API_KEY for capsule weather in the secret store (scope: shared, every agent)\n',
    );
    expect(await readFile(join(secretsOf('__host__'), 'API_KEY'), 'utf8')).toBe('sk-shared-456');
    const empty = await runAstrid(
      ['secret', 'set', 'API_KEY', '-', '--capsule', 'weather'],
      env,
      '',
    );
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no value on stdin/);
  });

  it('stores undeclared keys in env-json with a warning', async () => {
    const [region, plain] = await Promise.all([
      astrid('secret', 'set', 'REGION', 'eu-west', '--capsule', 'weather', '-a', 'alice'),
      astrid('secret', 'set', 'PLAIN_TOKEN', 'p-789', '-a', 'alice'),
    ]);
    expect(region.code).toBe(0);
    expect(region.stdout).toBe(`✓ stored REGION in ${join(home, envDir, 'weather.env.json')}\n`);
    expect(region.stderr).toMatch(
      /^! capsule weather does not declare REGION with type = "secret"/,
    );
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/PLAIN_TOKEN is plain env, not a secret/);
    expect(JSON.parse(await readFile(join(home, envDir, 'weather.env.json'), 'utf8'))).toEqual({
      REGION: 'eu-west',
    });
    expect(JSON.parse(await readFile(join(home, envDir, 'default.env.json'), 'utf8'))).toEqual({
      PLAIN_TOKEN: 'p-789',
    });
    expect(await mode(join(home, envDir, 'default.env.json'))).toBe(0o600);
    expect(await mode(join(home, envDir))).toBe(0o700);
  });

  it('refuses --scope shared for plain keys or without a capsule, and unknown capsules', async () => {
    const [sharedPlain, sharedNoCapsule, notInstalled, badKey, badScope] = await Promise.all([
      astrid('secret', 'set', 'REGION', 'x', '--capsule', 'weather', '--scope', 'shared'),
      astrid('secret', 'set', 'API_KEY', 'x', '--scope', 'shared'),
      astrid('secret', 'set', 'API_KEY', 'x', '--capsule', 'nope'),
      astrid('secret', 'set', '../KEY', 'x'),
      astrid('secret', 'set', 'K', 'x', '--scope', 'global'),
    ]);
    expect(sharedPlain.code).toBe(1);
    expect(sharedPlain.stderr).toMatch(/does not declare REGION with type = "secret"/);
    expect(sharedNoCapsule.code).toBe(1);
    expect(sharedNoCapsule.stderr).toMatch(/--scope shared needs --capsule NAME/);
    expect(notInstalled.code).toBe(1);
    expect(notInstalled.stderr).toMatch(/capsule nope is not installed/);
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toMatch(/invalid key "\.\.\/KEY"/);
    expect(badScope.code).toBe(2);
    for (const r of [sharedPlain, sharedNoCapsule, notInstalled, badKey, badScope])
      expect(r.stdout).toBe('');
  });

  it('lists keys and storage, never values', async () => {
    const [json, table] = await Promise.all([
      astrid('secret', 'list', '-a', 'alice', '--format', 'json'),
      astrid('secret', 'list', '-a', 'alice'),
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { capsule: 'default', key: 'PLAIN_TOKEN', storage: 'env-json', scope: 'agent' },
      { capsule: 'weather', key: 'API_KEY', storage: 'file', scope: 'agent' },
      { capsule: 'weather', key: 'API_KEY', storage: 'file', scope: 'shared' },
      { capsule: 'weather', key: 'REGION', storage: 'env-json', scope: 'agent' },
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^CAPSULE\s+KEY\s+STORAGE\s+SCOPE$/);
    expect(table.stdout).toMatch(/^weather\s+API_KEY\s+file\s+shared$/m);
    for (const out of [json.stdout, json.stderr, table.stdout, table.stderr]) {
      for (const value of ['sk-live-123', 'sk-shared-456', 'eu-west', 'p-789'])
        expect(out).not.toContain(value);
    }
  });

  it('deletes from where the key lives; a missing key is not found', async () => {
    const del = await astrid('secret', 'delete', 'API_KEY', '--capsule', 'weather', '-a', 'alice');
    expect(del.code).toBe(0);
    expect(del.stdout).toBe(`✓ deleted API_KEY from the secret store (${secretsOf('alice')})\n`);
    expect(existsSync(join(secretsOf('alice'), 'API_KEY'))).toBe(false);
    expect(existsSync(join(secretsOf('__host__'), 'API_KEY'))).toBe(true);
    const [again, plain, shared] = await Promise.all([
      astrid('secret', 'delete', 'API_KEY', '--capsule', 'weather', '-a', 'alice'),
      astrid('secret', 'delete', 'PLAIN_TOKEN', '-a', 'alice'),
      astrid('secret', 'delete', 'API_KEY', '--capsule', 'weather', '--scope', 'shared'),
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/✗ error: API_KEY is not set for agent alice and capsule weather/);
    expect(plain.code).toBe(0);
    expect(JSON.parse(await readFile(join(home, envDir, 'default.env.json'), 'utf8'))).toEqual({});
    expect(shared.code).toBe(0);
    expect(existsSync(join(secretsOf('__host__'), 'API_KEY'))).toBe(false);
  });
});

describe('with the daemon down', { timeout: 120_000 }, () => {
  it('invite verbs say to run `astrid start`; keypair verbs still work', async () => {
    const down = { ASTRID_HOME: await newHome() };
    const [list, issue, redeem, gen] = await Promise.all([
      runAstrid(['invite', 'list'], down),
      runAstrid(['invite', 'issue'], down),
      runAstrid(['invite', 'redeem', 'tok', '--public-key', 'ab'.repeat(32)], down),
      runAstrid(['keypair', 'generate', '--name', 'offline', '--raw'], down),
    ]);
    for (const r of [list, issue, redeem]) {
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        'Failed to connect to Astrid daemon. Run `astrid start` to launch it.',
      );
    }
    expect(gen.code).toBe(0);
    expect(gen.stdout).toMatch(/^[0-9a-f]{64}\n$/);
  });
});
