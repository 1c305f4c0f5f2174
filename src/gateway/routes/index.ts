import * as agent from './agent.js';
import * as audit from './audit.js';
import * as auth from './auth.js';
import * as capabilities from './capabilities.js';
import * as caps from './caps.js';
import * as capsules from './capsules.js';
import * as discovery from './discovery.js';
import * as env from './env.js';
import * as groups from './groups.js';
import * as invites from './invites.js';
import * as ops from './ops.js';
import * as principals from './principals.js';
import * as quotas from './quotas.js';
import type { GatewayRouteModule } from './route-module.js';
import * as system from './system.js';

export type { GatewayRouteModule } from './route-module.js';

/** Every route module the gateway serves; add new modules to this list. */
export const ROUTE_MODULES: readonly GatewayRouteModule[] = [
  ops,
  auth,
  principals,
  caps,
  quotas,
  groups,
  invites,
  capabilities,
  discovery,
  capsules,
  env,
  system,
  audit,
  agent,
];
