/// <reference path="./wit/astrid-elicit-host.d.ts" />
import * as wit from 'astrid:elicit/host@1.0.0';
import { HostError, host } from './errors.js';

/*
 * Asks the user for a value (install and upgrade hooks are where capsules
 * normally do this). Each question waits at most 120 s: `HostError`
 * `timeout`; the user dismissing it is `cancelled`.
 */

const IFACE = 'astrid:elicit/host';

export interface QuestionOptions {
  /** The prompt shown to the user (default: the key). */
  readonly description?: string;
  /** A pre-filled answer. */
  readonly defaultValue?: string;
}

function ask(request: wit.ElicitRequest): wit.ElicitResponse {
  return host(IFACE, () => wit.elicit(request));
}

function unexpected(kind: string, got: wit.ElicitResponse): HostError {
  return new HostError(IFACE, 'unknown', `a ${kind} question was answered with ${got.tag}`);
}

function request(
  kind: wit.ElicitType,
  key: string,
  options: QuestionOptions,
  choices?: readonly string[],
): wit.ElicitRequest {
  return {
    kind,
    key,
    description: options.description ?? '',
    options: choices === undefined ? undefined : [...choices],
    defaultValue: options.defaultValue,
  };
}

/** A line of text. */
export function text(key: string, options: QuestionOptions = {}): string {
  const r = ask(request('text', key, options));
  if (r.tag !== 'value') throw unexpected('text', r);
  return r.val;
}

/** One of `choices` (`invalid-input` when the list is empty or the answer is not one of them). */
export function select(
  key: string,
  choices: readonly string[],
  options: QuestionOptions = {},
): string {
  const r = ask(request('select', key, options, choices));
  if (r.tag !== 'value') throw unexpected('select', r);
  return r.val;
}

/** A list of values. */
export function array(key: string, options: QuestionOptions = {}): string[] {
  const r = ask(request('array', key, options));
  if (r.tag !== 'values') throw unexpected('array', r);
  return r.val;
}

/**
 * A secret: the answer goes straight to the capsule's secret store under
 * `key` and never reaches the capsule; read it later with `env(key)` when
 * the manifest declares `[env.<key>] type = "secret"`.
 */
export function secret(key: string, options: QuestionOptions = {}): void {
  const r = ask(request('secret', key, options));
  if (r.tag !== 'secret-stored') throw unexpected('secret', r);
}

/** Whether the secret store holds `key` for the invoking principal. */
export function hasSecret(key: string): boolean {
  return host(IFACE, () => wit.hasSecret(key));
}
