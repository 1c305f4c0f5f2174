import {
  type Capability,
  checkCapability,
  UNIVERSAL_CAPABILITY,
} from '../capabilities/capability-grammar.js';
import { DELEGATE_SELF_ALL } from '../capabilities/special-capabilities.js';
import { type AstridError, err, invalidInput, ok, type Result } from '../errors.js';

export interface Group {
  readonly name: string;
  readonly capabilities: readonly Capability[];
  readonly description: string | null;
  /** Must be true for a custom group that holds the universal `*`. */
  readonly unsafeAdmin: boolean;
  readonly builtin: boolean;
}

export const GROUP_NAME_MAX_LENGTH = 64;
const GROUP_NAME = /^[A-Za-z0-9_-]+$/;

export const BUILTIN_GROUPS: ReadonlyMap<string, Group> = new Map(
  (
    [
      {
        name: 'admin',
        capabilities: [UNIVERSAL_CAPABILITY],
        description: 'Built-in administrator: every capability.',
        unsafeAdmin: true,
        builtin: true,
      },
      {
        name: 'agent',
        capabilities: [
          'self:*',
          'self:quota:get',
          'self:agent:list',
          DELEGATE_SELF_ALL,
        ] as Capability[],
        description: 'Built-in agent: routine workflows on its own resources.',
        unsafeAdmin: false,
        builtin: true,
      },
      {
        name: 'restricted',
        capabilities: [],
        description: 'Built-in restricted: nothing unless granted explicitly.',
        unsafeAdmin: false,
        builtin: true,
      },
    ] satisfies Group[]
  ).map((g) => [g.name, Object.freeze({ ...g, capabilities: Object.freeze(g.capabilities) })]),
);

export function isBuiltinGroup(name: string): boolean {
  return BUILTIN_GROUPS.has(name);
}

/** Group names (also used in profiles' `groups` lists): 1–64 of `[A-Za-z0-9_-]`. */
export function checkGroupName(name: string): Result<string, AstridError> {
  if (name.length === 0) return err(invalidInput('group name must not be empty'));
  if (name.length > GROUP_NAME_MAX_LENGTH) {
    return err(
      invalidInput(
        `group name ${JSON.stringify(name)} exceeds ${GROUP_NAME_MAX_LENGTH} characters`,
      ),
    );
  }
  if (!GROUP_NAME.test(name)) {
    return err(
      invalidInput(
        `group name ${JSON.stringify(name)} may only contain letters, digits, '_' or '-'`,
      ),
    );
  }
  return ok(name);
}

export interface CustomGroupInput {
  readonly name: string;
  readonly capabilities: readonly string[];
  readonly description?: string | null;
  readonly unsafeAdmin?: boolean;
}

/**
 * Validates a custom group definition: a legal, non-built-in name, every
 * capability in the grammar, and the universal `*` only with `unsafeAdmin`.
 */
export function checkCustomGroup(input: CustomGroupInput): Result<Group, AstridError> {
  const name = checkGroupName(input.name);
  if (!name.ok) return name;
  if (isBuiltinGroup(input.name)) {
    return err(
      invalidInput(`group ${JSON.stringify(input.name)} is built in and cannot be redefined`),
    );
  }
  const capabilities: Capability[] = [];
  for (const raw of input.capabilities) {
    const cap = checkCapability(raw);
    if (!cap.ok) {
      return err(invalidInput(`group ${JSON.stringify(input.name)}: ${cap.error.message}`));
    }
    if (!capabilities.includes(cap.value)) capabilities.push(cap.value);
  }
  const unsafeAdmin = input.unsafeAdmin ?? false;
  if (capabilities.includes(UNIVERSAL_CAPABILITY) && !unsafeAdmin) {
    return err(
      invalidInput(
        `group ${JSON.stringify(input.name)}: '*' confers universal admin; set unsafe_admin = true to allow it`,
      ),
    );
  }
  return ok(
    Object.freeze({
      name: input.name,
      capabilities: Object.freeze(capabilities),
      description: input.description ?? null,
      unsafeAdmin,
      builtin: false,
    }),
  );
}
