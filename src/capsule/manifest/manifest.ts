import type { CapsuleId } from '../../core/ids/capsule-id.js';
import type { VersionRequirement } from '../../core/semver/version-requirement.js';

/**
 * A parsed, validated, immutable `Capsule.toml`. Lists are sorted where the
 * TOML source is a map, so every consumer sees one deterministic order.
 */
export interface CapsuleManifest {
  readonly package: PackageInfo;
  /** Every `[[component]]`; only the first is installed and loaded. */
  readonly components: readonly ComponentDef[];
  /** Root capabilities with component-level lists merged in. */
  readonly capabilities: CapsuleCapabilities;
  readonly imports: readonly ImportDef[];
  readonly exports: readonly ExportDef[];
  readonly publish: readonly PublishDef[];
  readonly subscribe: readonly SubscribeDef[];
  readonly env: readonly EnvDef[];
  readonly uplinks: readonly UplinkDef[];
  readonly mcpServers: readonly McpServerDef[];
  readonly tools: readonly ToolDef[];
  readonly commands: readonly CommandDef[];
  readonly skills: readonly SkillDef[];
  readonly contextFiles: readonly ContextFileDef[];
}

export interface PackageInfo {
  readonly name: CapsuleId;
  readonly version: string;
  readonly description: string | null;
  readonly authors: readonly string[];
  readonly repository: string | null;
  readonly homepage: string | null;
  readonly documentation: string | null;
  readonly license: string | null;
  readonly licenseFile: string | null;
  readonly readme: string | null;
  readonly keywords: readonly string[];
  readonly categories: readonly string[];
  /** The runtime versions this capsule accepts (already checked at parse). */
  readonly astridVersion: string | null;
  readonly publish: boolean | null;
  readonly include: readonly string[] | null;
  readonly exclude: readonly string[] | null;
  readonly metadata: unknown;
}

export interface ComponentDef {
  /** Path of the WASM component relative to the capsule directory. */
  readonly file: string;
  readonly id: string;
  readonly hash: string | null;
  readonly type: string;
  readonly link: readonly string[];
}

export const IDENTITY_LEVELS = ['resolve', 'link', 'admin'] as const;
export type IdentityLevel = (typeof IDENTITY_LEVELS)[number];

/** What a capsule declares it needs. Every list defaults to empty, every bool to false. */
export interface CapsuleCapabilities {
  readonly net: readonly string[];
  readonly netConnect: readonly string[];
  readonly netBind: readonly string[];
  readonly fsRead: readonly string[];
  readonly fsWrite: readonly string[];
  readonly hostProcess: readonly string[];
  readonly allowPersistent: boolean;
  readonly kv: readonly string[];
  readonly identity: readonly IdentityLevel[];
  readonly uplink: boolean;
  readonly allowPromptInjection: boolean;
}

export interface ImportDef {
  readonly namespace: string;
  readonly interface: string;
  readonly requirement: VersionRequirement;
  readonly optional: boolean;
}

export interface ExportDef {
  readonly namespace: string;
  readonly interface: string;
  readonly version: string;
}

export const SOURCE_PIN_KINDS = ['version', 'tag', 'rev', 'branch', 'path'] as const;
export type SourcePinKind = (typeof SOURCE_PIN_KINDS)[number];

export interface SourcePin {
  readonly kind: SourcePinKind;
  readonly value: string;
}

export interface PublishDef {
  readonly topic: string;
  /** A local record name, `@scope/repo/iface/record`, or `opaque`. */
  readonly wit: string;
  readonly pin: SourcePin | null;
  readonly fanout: boolean;
}

export const DEFAULT_INTERCEPTOR_PRIORITY = 100;

export interface SubscribeDef {
  readonly topic: string;
  readonly wit: string;
  readonly pin: SourcePin | null;
  /** Binds the topic to the guest's interceptor export under this action name. */
  readonly handler: string | null;
  /** Lower fires first; only with a handler. */
  readonly priority: number | null;
}

export type EnvKind = 'secret' | 'text' | 'select' | 'array';

export interface EnvDef {
  readonly key: string;
  /** The type as written; `kind` is its case-insensitive reading. */
  readonly type: string;
  readonly kind: EnvKind;
  readonly request: string | null;
  readonly description: string | null;
  /** Stringified default: strings as-is, anything else as compact JSON. */
  readonly default: string | null;
  readonly enumValues: readonly string[];
  readonly placeholder: string | null;
}

export const UPLINK_PROFILES = ['chat', 'interactive', 'notify', 'bridge'] as const;
export type UplinkProfile = (typeof UPLINK_PROFILES)[number];

export interface UplinkDef {
  readonly name: string;
  /** Trimmed and lowercased. */
  readonly platform: string;
  readonly profile: UplinkProfile;
}

export interface McpServerDef {
  readonly id: string;
  readonly description: string | null;
  /** `stdio` starts a subprocess engine; anything else creates no engine. */
  readonly type: string | null;
  readonly command: string | null;
  readonly args: readonly string[];
}

export interface ToolDef {
  readonly name: string;
  readonly descriptionForLlm: string;
  readonly inputSchemaWit: string | null;
  readonly mutable: boolean;
}

export interface CommandDef {
  readonly name: string;
  readonly description: string | null;
  readonly file: string | null;
}

export interface SkillDef {
  readonly name: string;
  readonly description: string | null;
  readonly file: string;
}

export interface ContextFileDef {
  readonly name: string;
  readonly file: string;
}
