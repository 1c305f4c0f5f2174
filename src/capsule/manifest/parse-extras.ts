import type {
  CommandDef,
  ContextFileDef,
  McpServerDef,
  SkillDef,
  ToolDef,
  UplinkDef,
  UplinkProfile,
} from './manifest.js';
import { UPLINK_PROFILES } from './manifest.js';
import type { TableReader } from './toml-reader.js';

export function readUplinks(entries: TableReader[]): UplinkDef[] {
  const out: UplinkDef[] = [];
  const seen = new Set<string>();
  for (const u of entries) {
    const name = u.requiredString('name', '"cli"');
    const platform = u.requiredString('platform', '"cli"');
    const profile = u.requiredString('profile', '"chat"');
    if (profile !== null && !(UPLINK_PROFILES as readonly string[]).includes(profile)) {
      u.error(
        'uplink-profile-invalid',
        'profile',
        `unknown profile ${JSON.stringify(profile)}; use ${UPLINK_PROFILES.join(', ')}`,
      );
      continue;
    }
    if (name === null || platform === null || profile === null) continue;
    const normalized = platform.trim().toLowerCase();
    const id = `${name}\u0000${normalized}`;
    if (seen.has(id)) {
      u.error(
        'duplicate-entry',
        'name',
        `uplink ${JSON.stringify(name)} on platform ${JSON.stringify(normalized)} is declared twice`,
      );
      continue;
    }
    seen.add(id);
    out.push({ name, platform: normalized, profile: profile as UplinkProfile });
  }
  return out;
}

export function readMcpServers(entries: TableReader[]): McpServerDef[] {
  const out: McpServerDef[] = [];
  const seen = new Set<string>();
  for (const m of entries) {
    const id = m.requiredString('id', '"my-server"');
    const type = m.optionalString('type', '"stdio"');
    const command = m.optionalString('command', '"npx"');
    const args = m.stringList('args', '["--flag"]');
    if (type === 'stdio' && (command === null || command.trim().length === 0)) {
      m.error(
        'required-key-missing',
        'command',
        'MCP server requires a \'command\' field when type = "stdio"; write command = "<program>"',
      );
    }
    if (id === null) continue;
    if (seen.has(id)) {
      m.error('duplicate-entry', 'id', `MCP server id ${JSON.stringify(id)} is declared twice`);
      continue;
    }
    seen.add(id);
    out.push({ id, description: m.optionalString('description'), type, command, args });
  }
  return out;
}

export function readTools(entries: TableReader[]): ToolDef[] {
  const out: ToolDef[] = [];
  for (const t of entries) {
    const name = t.requiredString('name', '"get_forecast"');
    const description = t.requiredString(
      'description_for_llm',
      '"What the tool does, for the model."',
    );
    const inputSchemaWit = t.optionalString('input_schema_wit');
    const mutable = t.bool('mutable');
    if (name === null || description === null) continue;
    out.push({ name, descriptionForLlm: description, inputSchemaWit, mutable });
  }
  return out;
}

export function readCommands(entries: TableReader[]): CommandDef[] {
  const out: CommandDef[] = [];
  for (const c of entries) {
    const name = c.requiredString('name', '"/weather"');
    const description = c.optionalString('description');
    const file = c.optionalString('file');
    if (name !== null) out.push({ name, description, file });
  }
  return out;
}

export function readSkills(entries: TableReader[]): SkillDef[] {
  const out: SkillDef[] = [];
  for (const s of entries) {
    const name = s.requiredString('name', '"forecasting"');
    const description = s.optionalString('description');
    const file = s.requiredString('file', '"skills/forecasting.md"');
    if (name !== null && file !== null) out.push({ name, description, file });
  }
  return out;
}

export function readContextFiles(entries: TableReader[]): ContextFileDef[] {
  const out: ContextFileDef[] = [];
  for (const c of entries) {
    const name = c.requiredString('name', '"style-guide"');
    const file = c.requiredString('file', '"context/style.md"');
    if (name !== null && file !== null) out.push({ name, file });
  }
  return out;
}
