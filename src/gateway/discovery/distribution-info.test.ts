import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { distributionInfo, onboardingVariables, SINGLE_TENANT } from './distribution-info.js';

const DISTRO = parse(`
[distro]
id = "acme"
name = "Acme Agents"
pretty-name = "Acme Agents 1.0"
homepage = "https://acme.example"

[invites]
issuers = ["default"]

[branding]
color = "#ff0000"
logo = { url = "https://acme.example/logo.svg", width = 64 }

[variables.API_KEY]
secret = true
description = "Your API key"

[variables.REGION]
default = "eu"

[variables.PORT]
default = 8080

[variables]
stray = "not a table"
`);

describe('distributionInfo', () => {
  it('reports the single-tenant defaults without a distro file', () => {
    expect(distributionInfo(null)).toEqual({
      id: 'single-tenant',
      name: 'Astrid',
      pretty_name: null,
      description: null,
      homepage: null,
      invites_enabled: false,
      branding: null,
    });
    expect(onboardingVariables(null)).toEqual([]);
  });

  it('reflects [distro], [invites] and [branding]', () => {
    expect(distributionInfo(DISTRO)).toEqual({
      id: 'acme',
      name: 'Acme Agents',
      pretty_name: 'Acme Agents 1.0',
      description: null,
      homepage: 'https://acme.example',
      invites_enabled: true,
      branding: { color: '#ff0000', logo: { url: 'https://acme.example/logo.svg', width: 64 } },
    });
  });

  it('defaults id and name, and needs a non-empty issuers array for invites', () => {
    expect(distributionInfo(parse('[distro]\n[invites]\nissuers = []\n'))).toEqual({
      ...SINGLE_TENANT,
      id: 'unknown',
    });
    expect(distributionInfo(parse('[distro]\n[invites]\nissuers = "x"\n')).invites_enabled).toBe(
      false,
    );
  });

  it('lists one onboarding field per [variables.<key>] table, sorted', () => {
    expect(onboardingVariables(DISTRO)).toEqual([
      { key: 'API_KEY', secret: true, description: 'Your API key', default: null },
      { key: 'PORT', secret: false, description: null, default: '8080' },
      { key: 'REGION', secret: false, description: null, default: 'eu' },
    ]);
  });
});
