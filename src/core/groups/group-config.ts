import { AstridError, err, ok, type Result } from '../errors.js';
import {
  BUILTIN_GROUPS,
  type CustomGroupInput,
  checkCustomGroup,
  type Group,
  isBuiltinGroup,
} from './group.js';

/**
 * The live set of groups: built-ins plus operator-defined custom groups.
 * Immutable; every edit returns a new config so in-flight capability checks
 * finish on the config they started with.
 */
export class GroupConfig {
  private readonly custom: ReadonlyMap<string, Group>;

  private constructor(custom: ReadonlyMap<string, Group>) {
    this.custom = custom;
  }

  static builtinsOnly(): GroupConfig {
    return new GroupConfig(new Map());
  }

  /** Builds a config from stored custom groups, validating every one. */
  static fromCustom(groups: readonly CustomGroupInput[]): Result<GroupConfig, AstridError> {
    const custom = new Map<string, Group>();
    for (const input of groups) {
      if (custom.has(input.name)) {
        return err(
          new AstridError('invalid-input', `group ${JSON.stringify(input.name)} is defined twice`),
        );
      }
      const group = checkCustomGroup(input);
      if (!group.ok) return group;
      custom.set(input.name, group.value);
    }
    return ok(new GroupConfig(custom));
  }

  get(name: string): Group | undefined {
    return BUILTIN_GROUPS.get(name) ?? this.custom.get(name);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Every group, built-ins included, sorted by name. */
  list(): Group[] {
    return [...BUILTIN_GROUPS.values(), ...this.custom.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  }

  /** Custom groups only (what gets persisted), sorted by name. */
  customGroups(): Group[] {
    return this.list().filter((g) => !g.builtin);
  }

  create(input: CustomGroupInput): Result<GroupConfig, AstridError> {
    if (isBuiltinGroup(input.name))
      return err(rejected('create', `${quote(input.name)} is a built-in group`));
    if (this.custom.has(input.name))
      return err(rejected('create', `group ${quote(input.name)} already exists`, 'already-exists'));
    const group = checkCustomGroup(input);
    if (!group.ok) return err(rejected('create', group.error.message));
    const next = new Map(this.custom);
    next.set(input.name, group.value);
    return ok(new GroupConfig(next));
  }

  /**
   * Applies the provided fields. `description: null` clears it; `undefined`
   * keeps it. The result is revalidated as a whole.
   */
  modify(
    name: string,
    changes: {
      capabilities?: readonly string[];
      description?: string | null;
      unsafeAdmin?: boolean;
    },
  ): Result<GroupConfig, AstridError> {
    if (isBuiltinGroup(name)) return err(rejected('modify', `${quote(name)} is a built-in group`));
    const current = this.custom.get(name);
    if (current === undefined)
      return err(rejected('modify', `unknown group ${quote(name)}`, 'not-found'));
    const group = checkCustomGroup({
      name,
      capabilities: changes.capabilities ?? current.capabilities,
      description: changes.description === undefined ? current.description : changes.description,
      unsafeAdmin: changes.unsafeAdmin ?? current.unsafeAdmin,
    });
    if (!group.ok) return err(rejected('modify', group.error.message));
    const next = new Map(this.custom);
    next.set(name, group.value);
    return ok(new GroupConfig(next));
  }

  remove(name: string): Result<GroupConfig, AstridError> {
    if (isBuiltinGroup(name)) return err(rejected('delete', `${quote(name)} is a built-in group`));
    if (!this.custom.has(name))
      return err(rejected('delete', `unknown group ${quote(name)}`, 'not-found'));
    const next = new Map(this.custom);
    next.delete(name);
    return ok(new GroupConfig(next));
  }
}

function quote(name: string): string {
  return JSON.stringify(name);
}

function rejected(
  op: 'create' | 'modify' | 'delete',
  reason: string,
  code: 'invalid-input' | 'not-found' | 'already-exists' = 'invalid-input',
): AstridError {
  return new AstridError(code, `group.${op} rejected: ${reason}`);
}
