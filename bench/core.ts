// Pure-domain hot paths: topic matching and capability checks run on every
// publish and every admin request.
import { CapabilityCheck } from '../src/core/capabilities/capability-check.js';
import type { Capability } from '../src/core/capabilities/capability-grammar.js';
import { GroupConfig } from '../src/core/groups/group-config.js';
import { parsePrincipalId } from '../src/core/ids/principal-id.js';
import { makeProfile } from '../src/core/profiles/profile.js';
import { VersionRequirement } from '../src/core/semver/version-requirement.js';
import { dispatchMatches } from '../src/core/topics/dispatch-matcher.js';
import { routeMatches } from '../src/core/topics/route-matcher.js';
import { checkPublishTopic } from '../src/core/topics/topic-syntax.js';
import { opsPerSecond, report } from './lib/measure.js';

let sink = 0;
const topics = [
  'astrid.v1.admin.agent.list',
  'tool.v1.execute.read_file.result',
  'user.v1.prompt',
  'a.b.c.d.e.f',
];
const patterns = ['astrid.v1.admin.*', 'tool.v1.execute.*.result', 'user.v1.*', 'a.*.c'];

report(
  'route_match',
  opsPerSecond((n) => {
    for (let i = 0; i < n; i++)
      if (routeMatches(patterns[i & 3] as string, topics[(i >> 2) & 3] as string)) sink++;
  }, 2_000_000),
  'ops/s',
  'matcher A, 4 patterns x 4 topics',
);
report(
  'dispatch_match',
  opsPerSecond((n) => {
    for (let i = 0; i < n; i++)
      if (dispatchMatches(topics[(i >> 2) & 3] as string, patterns[i & 3] as string)) sink++;
  }, 2_000_000),
  'ops/s',
  'matcher B',
);
report(
  'publish_topic_validate',
  opsPerSecond((n) => {
    for (let i = 0; i < n; i++) if (checkPublishTopic(topics[i & 3] as string).ok) sink++;
  }, 1_000_000),
  'ops/s',
);

const groups = GroupConfig.fromCustom([
  { name: 'ops', capabilities: ['capsule:install', 'capsule:reload'] },
]);
if (!groups.ok) throw groups.error;
const check = new CapabilityCheck(
  makeProfile({
    groups: ['ghost', 'ops', 'agent'],
    grants: ['quota:get', 'invite:list'] as Capability[],
    revokes: ['self:capsule:install'] as Capability[],
  }),
  groups.value,
  parsePrincipalId('alice'),
);
const caps = ['self:capsule:list', 'capsule:install', 'self:capsule:install', 'system:shutdown'];
report(
  'capability_check',
  opsPerSecond((n) => {
    for (let i = 0; i < n; i++) if (check.has(caps[i & 3] as string)) sink++;
  }, 1_000_000),
  'ops/s',
  '2 grants, 1 revoke, 3 groups',
);

const req = VersionRequirement.parse('>=1.2, <2.0');
report(
  'version_requirement_match',
  opsPerSecond((n) => {
    for (let i = 0; i < n; i++) if (req.matches('1.4.0')) sink++;
  }, 200_000),
  'ops/s',
);
if (sink === -1) console.log(sink);
