import { randomUUID } from 'node:crypto';
import { ipcEvent } from '../../../../events/astrid-event.js';
import { ipcMessage } from '../../../../events/ipc-message.js';
import type { FieldType, OnboardingField } from '../../../../events/ipc-payload.js';
import {
  capsuleSecretStore,
  resolveCapsuleSecret,
} from '../../../../storage/secrets/capsule-secrets.js';
import { askAndWait } from './ask-human.js';
import type { HostFunction } from './host-dispatcher.js';
import { HostError } from './host-error.js';
import { responderAllowed } from './responder-check.js';

const ELICIT = 'astrid:elicit/host@1.0.0';
export const ELICIT_TOPIC = 'astrid.v1.elicit';
export const ELICIT_RESPONSE_PREFIX = 'astrid.v1.elicit.response.';
export const ELICIT_TIMEOUT_MS = 120_000;
const KINDS = ['text', 'secret', 'select', 'array'] as const;
type Kind = (typeof KINDS)[number];

function secretKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0)
    throw new HostError('invalid-input', 'key must not be empty');
  if (key.includes(':') || key.includes('/') || key.includes('\0'))
    throw new HostError('invalid-input', "key must not contain ':', '/' or NUL");
  return key;
}

/**
 * `astrid:elicit/host`: asks the invoking principal's client for a value —
 * during install/upgrade hooks and at runtime. Only that principal's own
 * (verified) reply is accepted. Secret answers go straight to the secret
 * store; they travel on a private topic no capsule or client subscription
 * receives, and are never logged or audited.
 */
export const ELICIT_HOST: ReadonlyArray<readonly [string, HostFunction]> = [
  [
    `${ELICIT}#elicit`,
    async (state, args) => {
      const req = (args[0] ?? {}) as {
        kind?: unknown;
        key?: unknown;
        description?: unknown;
        options?: unknown;
        defaultValue?: unknown;
      };
      const kind = req.kind as Kind;
      if (!KINDS.includes(kind))
        throw new HostError('invalid-input', 'kind must be text, secret, select or array');
      const key =
        kind === 'secret'
          ? secretKey(req.key)
          : typeof req.key === 'string' && req.key.length > 0
            ? req.key
            : null;
      if (key === null) throw new HostError('invalid-input', 'key must not be empty');
      const description = typeof req.description === 'string' ? req.description : '';
      const options = Array.isArray(req.options)
        ? (req.options as unknown[]).filter((o): o is string => typeof o === 'string')
        : null;
      if (kind === 'select' && (options === null || options.length === 0))
        throw new HostError('invalid-input', 'a select needs at least one option');
      const defaultValue = typeof req.defaultValue === 'string' ? req.defaultValue : null;
      const fieldType: FieldType =
        kind === 'secret'
          ? 'Secret'
          : kind === 'select'
            ? { Enum: options as string[] }
            : kind === 'array'
              ? 'Array'
              : 'Text';
      const field: OnboardingField = {
        key,
        prompt: description.length > 0 ? description : key,
        ...(description.length > 0 ? { description } : {}),
        field_type: fieldType,
        ...(defaultValue === null ? {} : { default: defaultValue }),
      };
      const host = state.host;
      const requestId = randomUUID();
      const question = ipcEvent(
        ipcMessage({
          topic: ELICIT_TOPIC,
          payload: {
            type: 'elicit_request',
            request_id: requestId,
            capsule_id: host.capsuleId,
            field,
          },
          sourceId: host.sessionUuid,
          principal: state.effectivePrincipal,
        }),
        'wasm_guest',
        host.sessionUuid,
      );
      host.logger.debug(
        {
          audit: 'astrid.audit.elicit',
          capsule_id: host.capsuleId,
          principal: state.effectivePrincipal,
          fn: `${ELICIT}.elicit`,
          key,
          kind,
        },
        'host call',
      );
      const timeoutMs = host.services.timeouts?.elicitMs ?? ELICIT_TIMEOUT_MS;
      const reply = await askAndWait(
        state,
        `${ELICIT_RESPONSE_PREFIX}${requestId}`,
        question,
        timeoutMs,
        (m) => responderAllowed(state, m, null),
        true,
      );
      if (reply === null) throw new HostError('timeout', `no answer within ${timeoutMs / 1000} s`);
      if (reply.payload.type !== 'elicit_response' || reply.payload.request_id !== requestId) {
        throw new HostError(
          'unknown',
          'the answer was not an elicit_response',
          'the answer was not an elicit_response',
        );
      }
      const { value, values } = reply.payload;
      if (value === undefined && values === undefined)
        throw new HostError('cancelled', 'the user cancelled');
      if (kind === 'array')
        return { tag: 'values', val: values ?? (value === undefined ? [] : [value]) };
      const single = value ?? values?.[0];
      if (single === undefined) throw new HostError('cancelled', 'the user cancelled');
      if (kind === 'select' && !(options as string[]).includes(single)) {
        throw new HostError('invalid-input', 'the answer is not one of the options');
      }
      if (kind === 'secret') {
        if (single.length === 0) throw new HostError('invalid-input', 'an empty secret was given');
        try {
          await capsuleSecretStore(host.home, state.effectivePrincipal, host.capsuleId).set(
            key,
            single,
          );
        } catch {
          throw new HostError('store-unavailable', 'the secret could not be stored');
        }
        return { tag: 'secret-stored' };
      }
      return { tag: 'value', val: single };
    },
  ],
  [
    `${ELICIT}#hasSecret`,
    async (state, args) => {
      const key = secretKey(args[0]);
      try {
        return (
          (await resolveCapsuleSecret(
            state.host.home,
            state.effectivePrincipal,
            state.host.capsuleId,
            key,
          )) !== null
        );
      } catch {
        throw new HostError('store-unavailable', 'the secret store could not be read');
      }
    },
  ],
];
