import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/policy/parse.js';
import type { WorkItem } from './ports.js';
import { NOT_COVERED_CODE, refusalOf } from './work-coverage.js';

const OWN = '123456789012';
const A = '111111111111';
const B = '222222222222';

const configWith = (settings: string) =>
  loadConfig(`version: 1
settings:
${settings}policies:
  - id: web
    select: {instance_names: ["web*"]}
    schedule: {every: 1 day}
    retention: {minimum: 2}
    copy_to: [{region: us-west-2, retention: {minimum: 1}}]
`).config;

const item = (account: string, region = 'us-east-1'): WorkItem => ({
  account,
  region,
  run_id: 'r',
  continuation: 0,
});

/** Lookups where `members` are the organization's ACTIVE accounts; `asked` records each question. */
function lookups(members: readonly string[] = []) {
  const asked: string[] = [];
  return {
    asked,
    ownAccount: OWN,
    isOrganizationMember: async (account: string) => {
      asked.push(account);
      return members.includes(account);
    },
  };
}

const codeOf = async (settings: string, work: WorkItem, members: readonly string[] = []) =>
  (await refusalOf(configWith(settings), work, lookups(members), 'test'))?.code;

describe('refusalOf: does the config cover a work item?', () => {
  it('covers the accounts settings.accounts lists, and no other', async () => {
    // Act / Assess
    expect(await codeOf(`  accounts: ["${A}"]\n`, item(A))).toBeUndefined();
    expect(await codeOf(`  accounts: ["${A}"]\n`, item(B))).toBe(NOT_COVERED_CODE);
    expect(await codeOf(`  accounts: ["${A}"]\n`, item(OWN))).toBe(NOT_COVERED_CODE);
  });

  it("covers the deployment's own account only, when the config names no accounts", async () => {
    // Act / Assess
    expect(await codeOf('  guard: {max_deletes: 5}\n', item(OWN))).toBeUndefined();
    expect(await codeOf('  guard: {max_deletes: 5}\n', item(A))).toBe(NOT_COVERED_CODE);
  });

  it("asks the organization about an account, but not about the deployment's own", async () => {
    // Prepare
    const config = configWith('  organization: true\n');
    const asking = lookups([A]);

    // Act
    const member = await refusalOf(config, item(A), asking, 'test');
    const outsider = await refusalOf(config, item(B), asking, 'test');
    const own = await refusalOf(config, item(OWN), asking, 'test');

    // Assess
    expect([member, own]).toEqual([undefined, undefined]);
    expect(outsider).toMatchObject({ code: NOT_COVERED_CODE });
    expect(outsider!.message).toContain('organization');
    expect(asking.asked).toEqual([A, B]);
  });

  it('lets a failed question about the organization through to the caller, refusing nothing', async () => {
    // Prepare
    const failing = { ownAccount: OWN, isOrganizationMember: () => Promise.reject(new Error('throttled')) };

    // Act
    const asked = refusalOf(configWith('  organization: true\n'), item(A), failing, 'test');

    // Assess
    await expect(asked).rejects.toThrow('throttled');
  });

  it('covers settings.regions and their copy_to destinations; without settings.regions, any region', async () => {
    // Act / Assess
    const listed = `  accounts: ["${A}"]\n  regions: [us-east-1]\n`;
    expect(await codeOf(listed, item(A, 'us-east-1'))).toBeUndefined();
    expect(await codeOf(listed, item(A, 'us-west-2'))).toBeUndefined();
    expect(await codeOf(listed, item(A, 'eu-west-1'))).toBe(NOT_COVERED_CODE);
    expect(await codeOf(`  accounts: ["${A}"]\n`, item(A, 'ap-south-1'))).toBeUndefined();
  });
});

describe('refusalOf: vault accounts (SPEC §14)', () => {
  const vaultConfig = loadConfig(`version: 1
settings:
  accounts: ["${A}"]
  regions: [us-east-1]
policies:
  - id: web
    select: {instance_names: ["web*"]}
    schedule: {every: 1 day}
    retention: {minimum: 2}
    copy_to:
      - {account: "${B}", retention: {minimum: 1}}
      - {account: "333333333333", region: eu-west-1, retention: {minimum: 1}}
`).config;

  it('covers a vault account in the source regions and the regions its targets name, and nothing else', async () => {
    // Prepare / Act
    const inSource = await refusalOf(vaultConfig, item(B, 'us-east-1'), lookups(), 'cfg');
    const named = await refusalOf(vaultConfig, item('333333333333', 'eu-west-1'), lookups(), 'cfg');
    const other = await refusalOf(vaultConfig, item(B, 'ap-south-1'), lookups(), 'cfg');

    // Assess
    expect(inSource).toBeUndefined();
    expect(named).toBeUndefined();
    expect(other?.code).toBe(NOT_COVERED_CODE);
  });
});
