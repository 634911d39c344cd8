import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/policy/parse.js';
import {
  copiesOnlyOf,
  coveredRegions,
  receivingAccountsOf,
  vaultRegionsOf,
  vaultRoleOf,
} from './coverage.js';

const configWith = (settings: string) =>
  loadConfig(`version: 1
${settings}policies:
  - id: web
    select: {instance_names: ["web*"]}
    schedule: {every: 1 day}
    retention: {minimum: 2}
    copy_to: [{region: us-west-2, retention: {minimum: 1}}, {region: eu-west-1, retention: {minimum: 1}}]
`).config;

const enabled = async () => ['eu-west-1', 'us-east-1', 'us-west-2'];

describe('coveredRegions: which regions a run covers', () => {
  it('is settings.regions in full, and the copy_to destinations outside them copies-only', async () => {
    // Prepare
    const config = configWith('settings:\n  regions: [us-east-1, eu-west-1]\n');

    // Act
    const covered = await coveredRegions(config, enabled);

    // Assess
    expect(covered).toEqual({ regions: ['us-east-1', 'eu-west-1'], copiesOnly: ['us-west-2'] });
    expect(copiesOnlyOf(config)).toEqual(['us-west-2']);
  });

  it('is every enabled region in full without settings.regions, with nothing copies-only', async () => {
    // Prepare
    const config = configWith('');

    // Act
    const covered = await coveredRegions(config, enabled);

    // Assess
    expect(covered).toEqual({ regions: ['eu-west-1', 'us-east-1', 'us-west-2'], copiesOnly: [] });
    expect(copiesOnlyOf(config)).toEqual([]);
  });

  it('is exactly the regions asked for (--region), without asking which are enabled', async () => {
    // Prepare
    const config = configWith('settings:\n  regions: [us-east-1]\n');
    let asked = 0;

    // Act
    const covered = await coveredRegions(config, async () => {
      asked += 1;
      return [];
    }, ['eu-west-1']);

    // Assess
    expect(covered).toEqual({ regions: ['eu-west-1'], copiesOnly: [] });
    expect(asked).toBe(0);
  });
});

describe('vault accounts (SPEC §14)', () => {
  it('receives work in the regions its targets name, and in the sources’ regions for a target that names none', () => {
    // Prepare
    const { config } = loadConfig(`version: 1
policies:
  - id: web
    select: {instance_names: ["web*"]}
    schedule: {every: 1 day}
    retention: {minimum: 2}
    copy_to:
      - {account: "222222222222", role_name: vault, retention: {minimum: 1}}
      - {account: "333333333333", region: eu-west-1, retention: {minimum: 1}}
`);

    // Act / Assess
    expect(receivingAccountsOf(config)).toEqual(['222222222222', '333333333333']);
    expect(vaultRoleOf(config, '222222222222')).toBe('vault');
    expect(vaultRoleOf(config, '333333333333')).toBe('ebs-snapper-member');
    expect(vaultRegionsOf(config, '222222222222', ['us-east-1', 'us-west-2'])).toEqual([
      'us-east-1',
      'us-west-2',
    ]);
    expect(vaultRegionsOf(config, '333333333333', ['us-east-1'])).toEqual(['eu-west-1']);
  });
});
