import { AstridError } from '../../../core/errors.js';
import { DEFAULT_PRINCIPAL } from '../../../core/ids/principal-id.js';
import type { JsonObject } from '../../../events/json.js';
import { normalizePublicKey } from '../../../kernel/admin/public-key.js';
import { EXIT } from '../../exit-codes.js';
import { KeypairStore } from '../../keys/keypair-store.js';
import { type CliIo, type OutputFormat, printStructured, say } from '../../output.js';
import { writeActiveAgent } from '../../session/cli-context.js';
import type { CliSession } from '../../session/cli-session.js';
import { parseRedeemed } from './invite-view.js';

export interface RedeemFlags {
  readonly publicKey?: string;
  readonly keypair?: string;
  readonly displayName?: string;
  readonly switch?: boolean;
}

/** The `ed25519:<hex>` key to bind, from exactly one of the two key flags. */
async function keyToBind(session: CliSession, flags: RedeemFlags): Promise<string> {
  if (flags.publicKey !== undefined && flags.keypair !== undefined)
    throw new AstridError('invalid-input', 'give either --public-key or --keypair, not both');
  if (flags.keypair !== undefined) {
    const key = await KeypairStore.forHome(session.home).read(flags.keypair);
    return `ed25519:${key.publicKeyHex}`;
  }
  if (flags.publicKey !== undefined) {
    const key = normalizePublicKey(flags.publicKey);
    if (key === null) {
      throw new AstridError(
        'invalid-input',
        '--public-key must be an ed25519 public key: 64 hex characters, optionally prefixed "ed25519:"',
      );
    }
    return key;
  }
  throw new AstridError(
    'invalid-input',
    'say which key the new principal signs in with: --keypair NAME (create one with `astrid keypair generate`) or --public-key HEX',
  );
}

/**
 * `astrid invite redeem TOKEN (--public-key HEX | --keypair NAME)
 * [--display-name N] [--switch]`. The token is the credential, so this
 * connects as `default` whatever the active agent is.
 */
export async function inviteRedeem(
  session: CliSession,
  io: CliIo,
  token: string,
  flags: RedeemFlags,
  format: OutputFormat,
): Promise<number> {
  if (token.trim().length === 0)
    throw new AstridError('invalid-input', 'the invite token is empty');
  const publicKey = await keyToBind(session, flags);
  const params: JsonObject = { token: token.trim(), public_key: publicKey };
  if (flags.displayName !== undefined) params.display_name = flags.displayName;
  const client = await session.client(DEFAULT_PRINCIPAL);
  const redeemed = parseRedeemed((await client.admin('InviteRedeem', params)).data);

  // The principal exists from here on: later local steps warn instead of failing.
  let bound = false;
  if (flags.keypair !== undefined) {
    try {
      await KeypairStore.forHome(session.home).bindPrincipal(flags.keypair, redeemed.principal);
      bound = true;
    } catch (e) {
      say.warn(
        io,
        `principal ${redeemed.principal} was created, but recording it in keypair ${flags.keypair} failed: ${(e as Error).message}`,
      );
    }
  }
  let switched = false;
  if (flags.switch === true) {
    try {
      await writeActiveAgent(session.home, redeemed.principal);
      switched = true;
    } catch (e) {
      say.warn(
        io,
        `principal ${redeemed.principal} was created, but switching to it failed: ${(e as Error).message}; run \`astrid agent switch ${redeemed.principal}\``,
      );
    }
  }
  const code = flags.switch === true && !switched ? EXIT.failure : EXIT.ok;

  if (format !== 'pretty') {
    printStructured(
      io,
      { ...redeemed, keypair: bound ? (flags.keypair ?? null) : null, switched },
      format,
    );
    return code;
  }
  say.ok(
    io,
    `redeemed principal: ${redeemed.principal} (group: ${redeemed.group}, key fp: ${redeemed.public_key_fingerprint})`,
  );
  if (bound) say.info(io, `keypair ${flags.keypair} is now bound to ${redeemed.principal}`);
  if (switched) say.ok(io, `active agent is now ${redeemed.principal}`);
  else if (flags.switch !== true)
    say.info(io, `next: act as it with \`astrid agent switch ${redeemed.principal}\``);
  return code;
}
