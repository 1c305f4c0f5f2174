import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProfileSource } from '../../src/capsule/engines/wasm/host/capsule-host.js';
import { WasmEngine, type WasmEngineContext } from '../../src/capsule/engines/wasm/wasm-engine.js';
import { installFromDirectory } from '../../src/capsule/install/install-capsule.js';
import { CpuRateLimiter } from '../../src/capsule/ledgers/cpu-rate-limiter.js';
import { FuelLedger } from '../../src/capsule/ledgers/fuel-ledger.js';
import type { Ledgers } from '../../src/capsule/ledgers/ledgers.js';
import { MemoryLedger } from '../../src/capsule/ledgers/memory-ledger.js';
import { loadManifest } from '../../src/capsule/manifest/load-manifest.js';
import type { Capability } from '../../src/core/capabilities/capability-grammar.js';
import { GroupConfig } from '../../src/core/groups/group-config.js';
import { type PrincipalId, parsePrincipalId } from '../../src/core/ids/principal-id.js';
import { recordingLogger } from '../../src/core/logger.js';
import { makeProfile, type Profile } from '../../src/core/profiles/profile.js';
import { DEFAULT_QUOTAS, type Quotas } from '../../src/core/profiles/quotas.js';
import { EventBus } from '../../src/events/event-bus.js';
import { AstridHome } from '../../src/storage/home/astrid-home.js';
import { fileTempDir } from './temp-dir.js';
import { type TestServiceOptions, type TestServices, testServices } from './test-services.js';

export interface ProfileSpec {
  readonly groups?: string[];
  readonly grants?: string[];
  readonly enabled?: boolean;
  readonly quotas?: Partial<Quotas>;
}

/** Profiles from a table; principals not listed get the plain agent profile; 'invalid' throws. */
export class TableProfiles implements ProfileSource {
  readonly table = new Map<string, ProfileSpec | 'invalid'>();

  set(principal: string, spec: ProfileSpec | 'invalid'): this {
    this.table.set(principal, spec);
    return this;
  }

  async resolve(principal: PrincipalId): Promise<Profile> {
    const spec = this.table.get(principal) ?? { groups: ['agent'] };
    if (spec === 'invalid')
      throw new Error('profile_version 9 is newer than this runtime supports');
    return makeProfile({
      groups: spec.groups ?? [],
      grants: (spec.grants ?? []) as Capability[],
      enabled: spec.enabled ?? true,
      quotas: { ...DEFAULT_QUOTAS, ...spec.quotas },
    });
  }
}

export interface Harness {
  readonly home: AstridHome;
  readonly bus: EventBus;
  readonly profiles: TableProfiles;
  readonly ledgers: Ledgers;
  readonly logs: ReturnType<typeof recordingLogger>;
  /** Kernel services over an in-memory database; the workspace is `<home>/workspace`. */
  readonly services: TestServices;
  engine(
    name: string,
    component: Uint8Array,
    toml: string,
    extra?: Partial<WasmEngineContext>,
  ): Promise<WasmEngine>;
  close(): Promise<void>;
}

/** A home, a bus, profiles and ledgers; engines installed from component bytes and loaded. */
export async function harness(
  home?: AstridHome,
  options: TestServiceOptions = {},
): Promise<Harness> {
  const h = home ?? new AstridHome(await fileTempDir('astrid-engine-'));
  await h.ensure();
  const bus = new EventBus();
  const profiles = new TableProfiles().set('default', { groups: ['admin'] });
  const ledgers: Ledgers = {
    fuel: new FuelLedger(),
    memory: new MemoryLedger(),
    cpu: new CpuRateLimiter(),
  };
  const logs = recordingLogger();
  const engines: WasmEngine[] = [];
  const workspace = h.path('workspace');
  await mkdir(workspace, { recursive: true });
  const services = await testServices(workspace, h.varDir, options);
  return {
    home: h,
    bus,
    profiles,
    ledgers,
    logs,
    services,
    async engine(name, component, toml, extra = {}) {
      const src = await fileTempDir('astrid-src-');
      await writeFile(
        join(src, 'Capsule.toml'),
        `[package]\nname = "${name}"\nversion = "1.0.0"\n[[component]]\nfile = "c.wasm"\n${toml}\n`,
      );
      await writeFile(join(src, 'c.wasm'), component);
      await mkdir(join(src, 'x'), { recursive: true });
      const out = await installFromDirectory(src, h);
      const { manifest } = await loadManifest(out.targetDir);
      const engine = new WasmEngine({
        capsuleDir: out.targetDir,
        manifest,
        home: h,
        bus,
        owner: parsePrincipalId('default'),
        profiles,
        groups: () => GroupConfig.builtinsOnly(),
        ledgers,
        limits: { poolMax: 2, minIdle: 1 },
        logger: logs,
        services,
        ...extra,
      });
      engines.push(engine);
      await engine.load();
      return engine;
    },
    async close() {
      await Promise.all(engines.map((e) => e.unload()));
      bus.close();
      services.db.close();
    },
  };
}

const decoder = new TextDecoder();

/** Calls an interceptor with a JSON payload and decodes the `{ok}|{err}` answer. */
export async function call(
  engine: WasmEngine,
  action: string,
  args: unknown = {},
  principal: string | null = null,
): Promise<{ ok?: unknown; err?: string } | { denied: string } | { notSupported: string }> {
  const { ipcMessage } = await import('../../src/events/ipc-message.js');
  const caller =
    principal === null
      ? null
      : ipcMessage({
          topic: 'test.call',
          payload: { type: 'connect' },
          principal,
          sourceId: '11111111-1111-4111-8111-111111111111',
        });
  const out = await engine.invokeInterceptor(
    action,
    new TextEncoder().encode(JSON.stringify(args)),
    caller,
  );
  if (out.kind === 'deny') return { denied: out.reason };
  if (out.kind === 'not-supported') return { notSupported: out.reason };
  return JSON.parse(decoder.decode(out.payload)) as { ok?: unknown; err?: string };
}

export { parsePrincipalId };
