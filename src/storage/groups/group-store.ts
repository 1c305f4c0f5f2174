import { AstridError } from '../../core/errors.js';
import { GroupConfig } from '../../core/groups/group-config.js';
import type { StateDatabase } from '../db/state-database.js';

interface Row {
  name: string;
  capabilities: string;
  description: string | null;
  unsafe_admin: number;
}

/** Custom groups (built-ins are never stored). */
export class GroupStore {
  private readonly db: StateDatabase;
  private readonly stmts;

  constructor(db: StateDatabase) {
    this.db = db;
    const d = db.db;
    this.stmts = {
      all: d.prepare(
        'SELECT name, capabilities, description, unsafe_admin FROM custom_groups ORDER BY name',
      ),
      clear: d.prepare('DELETE FROM custom_groups'),
      insert: d.prepare(
        'INSERT INTO custom_groups (name, capabilities, description, unsafe_admin) VALUES (?, ?, ?, ?)',
      ),
    };
  }

  /** The stored custom groups as a validated config; any invalid row fails (boot is fatal on it). */
  load(): GroupConfig {
    const rows = this.stmts.all.all() as Row[];
    const inputs = rows.map((r) => {
      let capabilities: unknown;
      try {
        capabilities = JSON.parse(r.capabilities);
      } catch (e) {
        throw new AstridError('integrity', `stored group ${r.name} has unreadable capabilities`, {
          cause: e,
        });
      }
      if (!Array.isArray(capabilities) || !capabilities.every((c) => typeof c === 'string')) {
        throw new AstridError('integrity', `stored group ${r.name} has unreadable capabilities`);
      }
      return {
        name: r.name,
        capabilities,
        description: r.description,
        unsafeAdmin: r.unsafe_admin !== 0,
      };
    });
    const config = GroupConfig.fromCustom(inputs);
    if (!config.ok)
      throw new AstridError('integrity', `stored groups are invalid: ${config.error.message}`);
    return config.value;
  }

  /** Replaces the stored custom groups with those of `config`. */
  save(config: GroupConfig): void {
    this.db.transaction(() => {
      this.stmts.clear.run();
      for (const g of config.customGroups()) {
        this.stmts.insert.run(
          g.name,
          JSON.stringify(g.capabilities),
          g.description,
          g.unsafeAdmin ? 1 : 0,
        );
      }
    });
  }
}
