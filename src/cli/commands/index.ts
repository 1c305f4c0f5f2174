import type { Command } from 'commander';
import type { CliKit } from '../command-kit.js';
import { register as agent } from './agent/register.js';
import { register as audit } from './audit/register.js';
import { register as build } from './build/register.js';
import { register as bus } from './bus/register.js';
import { register as caps } from './caps/register.js';
import { register as capsule } from './capsule/register.js';
import { register as config } from './config/register.js';
import { register as daemon } from './daemon/register.js';
import { register as gc } from './gc/register.js';
import { register as group } from './group/register.js';
import { register as invite } from './invite/register.js';
import { register as keypair } from './keypair/register.js';
import { register as newProject } from './new/register.js';
import { register as quota } from './quota/register.js';
import { register as secret } from './secret/register.js';
import { register as workspace } from './workspace/register.js';

/** Every verb group, in help order. */
export function registerAll(program: Command, kit: CliKit): void {
  const groups = [daemon, capsule, agent, group, caps, quota, invite, keypair, secret];
  for (const register of [...groups, workspace, audit, bus, config, gc]) register(program, kit);
  for (const register of [newProject, build]) register(program, kit);
}
