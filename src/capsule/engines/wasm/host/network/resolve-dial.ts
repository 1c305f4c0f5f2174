import { lookup } from 'node:dns/promises';
import type { AirlockExceptions } from './airlock-exceptions.js';
import { judgeDial } from './dial-policy.js';
import { formatIp, type IpAddress, parseIp } from './ip-address.js';

/** Resolves a host name to IP address strings (the system resolver by default). */
export type HostResolver = (host: string) => Promise<string[]>;

export const systemResolver: HostResolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** The resolver could not answer for this name (no such host, no data, resolver down). */
export class NameResolutionError extends Error {
  readonly code: string;

  constructor(host: string, code: string) {
    super(`cannot resolve ${host} (${code})`);
    this.name = 'NameResolutionError';
    this.code = code;
  }
}

/** A dial refused by the SSRF airlock. */
export class AirlockRejection extends Error {
  readonly rejected: readonly { readonly address: string; readonly reason: string }[];

  constructor(host: string, rejected: readonly { address: string; reason: string }[]) {
    super(
      `the airlock refuses ${host}: ${rejected.map((r) => `${r.address} is ${r.reason}`).join('; ')} (an operator may allow a local target in network.airlock_exceptions)`,
    );
    this.name = 'AirlockRejection';
    this.rejected = rejected;
  }
}

export interface DialPlan {
  /** Addresses that may be dialled, in resolver order. */
  readonly allowed: readonly IpAddress[];
  readonly rejected: readonly { readonly address: string; readonly reason: string }[];
}

/**
 * Resolves `host` (an IP literal is taken as is) and judges every address
 * against the airlock for `port`. Nothing is dialled here; callers connect
 * only to `allowed`, so a name cannot re-resolve to something else between
 * the check and the connect.
 */
export async function planDial(
  host: string,
  port: number,
  exceptions: AirlockExceptions,
  resolver: HostResolver = systemResolver,
): Promise<DialPlan> {
  const literal = parseIp(host);
  let addresses: IpAddress[];
  if (literal !== null) {
    addresses = [literal];
  } else {
    let raw: string[];
    try {
      raw = await resolver(host);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'EAI_FAIL';
      throw new NameResolutionError(host, code);
    }
    addresses = raw.map(parseIp).filter((a): a is IpAddress => a !== null);
    if (addresses.length === 0) throw new NameResolutionError(host, 'ENODATA');
  }
  const allowed: IpAddress[] = [];
  const rejected: { address: string; reason: string }[] = [];
  for (const a of addresses) {
    const verdict = judgeDial(a, port, exceptions);
    if (verdict.ok) allowed.push(a);
    else rejected.push({ address: formatIp(a), reason: verdict.reason });
  }
  return { allowed, rejected };
}
