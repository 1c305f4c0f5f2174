import { installOutputToJson } from '../../capsule/install/install-capsule.js';
import { AstridError } from '../../core/errors.js';
import { type CapsuleId, checkCapsuleId } from '../../core/ids/capsule-id.js';
import type { Json, JsonObject } from '../../events/json.js';
import { ParamsReader } from '../admin/params-reader.js';
import type { KernelBody, KernelMethod } from '../requests/kernel-method.js';
import type { CapsuleService } from './capsule-service.js';

function params(method: string, raw: Json | undefined): ParamsReader {
  return new ParamsReader(method, raw);
}

function capsuleArg(method: string, value: string): CapsuleId {
  const checked = checkCapsuleId(value);
  if (!checked.ok) throw new AstridError('invalid-input', `${method}: ${checked.error.message}`);
  return checked.value;
}

/** The capsule kernel requests: list, commands, metadata, context, reload, install, remove. */
export function capsuleMethods(capsules: CapsuleService): KernelMethod[] {
  return [
    {
      name: 'ListCapsules',
      capability: 'self:capsule:list',
      ratePerMinute: null,
      mutating: false,
      handle: (raw) => {
        const p = params('ListCapsules', raw);
        const verbose = p.bool('verbose', false);
        p.done();
        const loaded = capsules.registry.list();
        if (!verbose) return { status: 'Success', data: loaded.map((c) => c.id) };
        const rows: JsonObject[] = loaded.map((c) => ({
          name: c.id,
          version: c.manifest.package.version,
          state: c.state.kind,
          ...(c.state.kind === 'failed' ? { reason: c.state.reason } : {}),
          run_loop: c.isRunLoop,
          uplink: c.isUplink,
          instances: c.wasm?.instanceCount ?? 0,
          interceptors: c.interceptors.map((i) => ({
            topic: i.event,
            action: i.action,
            priority: i.priority,
          })),
          dir: c.dir,
        }));
        for (const [id, f] of capsules.failures) {
          if (capsules.registry.has(id)) continue;
          rows.push({ name: id, state: 'failed', reason: f.reason, dir: f.dir });
        }
        rows.sort((a, b) => (String(a.name) < String(b.name) ? -1 : 1));
        return { status: 'Success', data: rows };
      },
    },
    {
      name: 'GetCommands',
      capability: 'self:capsule:list',
      ratePerMinute: null,
      mutating: false,
      handle: () => ({
        status: 'Commands',
        data: capsules.registry.list().flatMap((c) =>
          c.manifest.commands.map((cmd) => ({
            name: cmd.name,
            description: cmd.description ?? 'No description',
            provider_capsule: c.id,
          })),
        ),
      }),
    },
    {
      name: 'GetCapsuleMetadata',
      capability: 'self:capsule:list',
      ratePerMinute: null,
      mutating: false,
      handle: () => ({
        status: 'CapsuleMetadata',
        data: capsules.registry.list().map((c) => ({
          name: c.id,
          interceptor_events: c.manifest.subscribe
            .filter((s) => s.handler !== null)
            .map((s) => s.topic),
        })),
      }),
    },
    {
      name: 'GetCapsuleContext',
      capability: 'self:capsule:list',
      ratePerMinute: null,
      mutating: false,
      handle: (raw) => {
        const p = params('GetCapsuleContext', raw);
        const id = capsuleArg('GetCapsuleContext', p.string('capsule'));
        p.done();
        const capsule = capsules.registry.list().find((c) => c.id === id);
        if (capsule === undefined)
          throw new AstridError('not-found', `capsule ${id} is not loaded`);
        const ctx = capsule.statics.context;
        return {
          status: 'Success',
          data: {
            capsule: id,
            context_files: ctx.contextFiles.map((f) => ({ name: f.name, content: f.content })),
            skills: ctx.skills.map((s) => ({
              name: s.name,
              description: s.description,
              content: s.content,
            })),
            commands: ctx.commands.map((c) => ({
              name: c.name,
              description: c.description,
              content: c.content,
            })),
          },
        };
      },
    },
    {
      name: 'ReloadCapsules',
      capability: 'self:capsule:reload',
      ratePerMinute: 5,
      mutating: true,
      handle: async (raw): Promise<KernelBody> => {
        const p = params('ReloadCapsules', raw);
        const one = p.optionalString('capsule');
        p.done();
        if (one !== undefined) {
          const capsule = await capsules.reload(capsuleArg('ReloadCapsules', one));
          return { status: 'Success', data: { status: 'reloaded', capsule: capsule.id } };
        }
        const report = await capsules.reloadAll();
        return {
          status: 'Success',
          data: {
            status: 'reloaded',
            loaded: report.loaded,
            failed: report.failed.map((f) => ({ capsule: f.id, reason: f.reason })),
          },
        };
      },
    },
    {
      name: 'InstallCapsule',
      capability: 'self:capsule:install',
      ratePerMinute: 10,
      mutating: true,
      handle: async (raw) => {
        const p = params('InstallCapsule', raw);
        const source = p.string('source');
        const workspace = p.bool('workspace', false);
        p.done();
        if (workspace) {
          throw new AstridError(
            'invalid-input',
            'workspace installs are done by the CLI in its own directory; the daemon has no meaningful working directory',
          );
        }
        if (/^(https?:\/\/|github\.com\/|@|gh:)/.test(source)) {
          throw new AstridError(
            'invalid-input',
            `the daemon installs only local paths, never ${JSON.stringify(source)}; fetch it first, then install the directory or .capsule file`,
          );
        }
        const out = await capsules.install(source);
        return { status: 'Success', data: installOutputToJson(out) as JsonObject };
      },
    },
    {
      name: 'ListUplinks',
      capability: 'self:capsule:list',
      ratePerMinute: null,
      mutating: false,
      handle: (raw) => {
        params('ListUplinks', raw).done();
        const rows: JsonObject[] = capsules.registry.uplinkDescriptors().map((u) => ({
          id: u.id,
          capsule: u.capsuleId,
          name: u.name,
          platform: u.platform,
          profile: u.profile,
          source: 'manifest',
        }));
        for (const c of capsules.registry.list()) {
          for (const u of c.wasm?.uplinks.list() ?? []) {
            rows.push({
              id: u.id,
              capsule: c.id,
              name: u.name,
              platform: u.platform,
              profile: u.profile,
              source: 'runtime',
            });
          }
        }
        return { status: 'Success', data: rows };
      },
    },
    ...(['WorkspaceDiff', 'WorkspaceCommit', 'WorkspaceDiscard'] as const).map(
      (name): KernelMethod => ({
        name,
        capability: 'self:capsule:install',
        ratePerMinute: name === 'WorkspaceDiff' ? null : 30,
        mutating: name !== 'WorkspaceDiff',
        handle: async (raw): Promise<KernelBody> => {
          const p = params(name, raw);
          const id = capsuleArg(name, p.string('capsule'));
          p.done();
          if (!capsules.registry.has(id) && !capsules.overlayExists(id)) {
            throw new AstridError(
              'not-found',
              `capsule ${id} is not loaded and has no pending workspace changes`,
            );
          }
          const overlay = capsules.overlays.get(id);
          const rows = (changes: Awaited<ReturnType<typeof overlay.diff>>) =>
            changes.map((c) => ({ path: c.path, kind: c.kind, type: c.type }));
          if (name === 'WorkspaceDiff')
            return {
              status: 'Success',
              data: { capsule: id, changes: rows(await overlay.diff()) },
            };
          if (name === 'WorkspaceCommit')
            return {
              status: 'Success',
              data: { capsule: id, applied: rows(await overlay.commit()) },
            };
          const pending = await overlay.diff();
          await overlay.discard();
          return { status: 'Success', data: { capsule: id, discarded: pending.length } };
        },
      }),
    ),
    {
      name: 'RemoveCapsule',
      capability: 'self:capsule:install',
      ratePerMinute: 10,
      mutating: true,
      handle: async (raw) => {
        const p = params('RemoveCapsule', raw);
        const name = capsuleArg('RemoveCapsule', p.string('name'));
        const force = p.bool('force', false);
        const purge = p.bool('purge', false);
        p.done();
        const out = await capsules.remove(name, { force, purge });
        return {
          status: 'Success',
          data: { capsule: out.capsule, removed_dir: out.removedDir, purged_env: out.purgedEnv },
        };
      },
    },
  ];
}
