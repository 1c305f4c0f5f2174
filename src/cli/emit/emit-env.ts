/** The hook identity `astrid-emit` forwards, from its environment. */
export interface EmitEnv {
  readonly principalId: string;
  readonly sessionId: string;
  readonly token: string;
}

/** Checked in this order; the first unset or empty one is reported. */
export const EMIT_ENV_VARS = [
  'ASTRID_PRINCIPAL_ID',
  'ASTRID_SESSION_ID',
  'ASTRID_HOOK_TOKEN',
] as const;

/** Reads the three variables, or names the first that is missing or empty. Pure. */
export function readEmitEnv(
  env: NodeJS.ProcessEnv,
):
  | { readonly ok: true; readonly value: EmitEnv }
  | { readonly ok: false; readonly missing: string } {
  for (const name of EMIT_ENV_VARS) {
    const value = env[name];
    if (value === undefined || value.length === 0) return { ok: false, missing: name };
  }
  return {
    ok: true,
    value: {
      principalId: env.ASTRID_PRINCIPAL_ID as string,
      sessionId: env.ASTRID_SESSION_ID as string,
      token: env.ASTRID_HOOK_TOKEN as string,
    },
  };
}
