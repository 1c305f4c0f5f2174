import { Agent, buildConnector } from 'undici';
import type { AirlockExceptions } from '../network/airlock-exceptions.js';
import { formatIp, parseIp } from '../network/ip-address.js';
import { AirlockRejection, type HostResolver, planDial } from '../network/resolve-dial.js';

export const HTTP_CONNECT_TIMEOUT_MS = 30_000;

/** What the agent reports about each connection it opens (for audit). */
export type DialObserver = (dial: {
  host: string;
  address: string;
  port: number;
  exception: string | null;
}) => void;

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function defaultPort(protocol: string): number {
  return protocol === 'https:' ? 443 : 80;
}

/**
 * An undici agent whose every connection passes the SSRF airlock: the host
 * (a name or an IP literal) is resolved here, each address is judged for the
 * port being dialled, and the socket is opened to a judged address only —
 * never to a name the system might resolve again — so DNS rebinding has
 * nothing to slip through. TLS still verifies the certificate for the name.
 */
export function guardedAgent(
  exceptions: AirlockExceptions,
  resolver: HostResolver,
  observe: DialObserver = () => {},
): Agent {
  const base = buildConnector({ timeout: HTTP_CONNECT_TIMEOUT_MS });
  return new Agent({
    connect: (opts, callback) => {
      const host = unbracket(opts.hostname);
      const port = opts.port === '' ? defaultPort(opts.protocol) : Number(opts.port);
      planDial(host, port, exceptions, resolver).then(
        (plan) => {
          if (plan.allowed.length === 0) {
            callback(new AirlockRejection(host, plan.rejected), null);
            return;
          }
          const servername = parseIp(host) === null ? host : undefined;
          const attempt = (i: number) => {
            const address = plan.allowed[i];
            if (address === undefined) return;
            const text = formatIp(address);
            base(
              {
                ...opts,
                hostname: text,
                ...(servername === undefined ? {} : { servername }),
              },
              (err, socket) => {
                if (err !== null && i + 1 < plan.allowed.length) {
                  attempt(i + 1);
                  return;
                }
                if (err === null) {
                  observe({
                    host,
                    address: text,
                    port,
                    exception: exceptions.covering(address, port)?.text ?? null,
                  });
                  callback(null, socket);
                } else {
                  callback(err, null);
                }
              },
            );
          };
          attempt(0);
        },
        (e: unknown) => callback(e instanceof Error ? e : new Error(String(e)), null),
      );
    },
  });
}
