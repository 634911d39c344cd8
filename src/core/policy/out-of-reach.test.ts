import { describe, expect, it } from 'vitest';
import { parseConfig } from './parse.js';

const doc = (policy: string, settings = '') => `version: 1
${settings}policies:
  - id: db
    select: {volumes: {tag:Backup: db}}
    schedule: {every: 1 day}
${policy}`;

describe('parseConfig: snapshot.lock (SPEC §14)', () => {
  it('reads the lock, defaults until to expiry, and warns that compliance mode cannot be undone', () => {
    // Prepare / Act
    const result = parseConfig(
      doc(
        '    retention: {max_age: 14 days}\n    snapshot:\n      lock: {mode: compliance, cool_off: 24h}\n',
      ),
    );

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.config?.policies[0]?.snapshot.lock).toEqual({ mode: 'compliance', coolOffHours: 24 });
    const warning = result.warnings.find((w) => w.code === 'config.lock-compliance');
    expect(warning?.message).toContain('cannot be undone by anyone, the account root included');
  });

  it('refuses until: expiry without max_age, a lock shorter than a day, and a cool-off EC2 would refuse', () => {
    // Prepare / Act
    const noMaxAge = parseConfig(
      doc('    retention: {minimum: 3}\n    snapshot:\n      lock: {mode: governance}\n'),
    );
    const short = parseConfig(
      doc('    retention: {minimum: 3}\n    snapshot:\n      lock: {mode: governance, until: 12h}\n'),
    );
    const coolOff = parseConfig(
      doc('    retention: {max_age: 7 days}\n    snapshot:\n      lock: {mode: governance, cool_off: 2h}\n'),
    );
    const tooLong = parseConfig(
      doc(
        '    retention: {max_age: 7 days}\n    snapshot:\n      lock: {mode: compliance, cool_off: 100h}\n',
      ),
    );

    // Assess
    expect(noMaxAge.errors).toEqual([
      'policies[0].snapshot.lock.until: "expiry" needs retention.max_age to expire at; give a duration instead (until: 30 days)',
    ]);
    expect(short.errors[0]).toContain('EC2 locks a snapshot for 1 to 36500 days');
    expect(coolOff.errors[0]).toContain('cool-off is for compliance mode only');
    expect(tooLong.errors[0]).toContain('1 to 72 whole hours');
  });
});

describe('parseConfig: copy_to with an account (vault copies, SPEC §14)', () => {
  it('makes vault targets with the default role, and warns when one has no lock', () => {
    // Prepare / Act
    const result = parseConfig(
      doc(
        '    retention: {max_age: 7 days}\n    copy_to:\n' +
          '      - {account: "222222222222", retention: {max_age: 30 days}}\n' +
          '      - {region: us-west-2, retention: {minimum: 2}}\n',
      ),
    );

    // Assess
    expect(result.errors).toEqual([]);
    const db = result.config?.policies[0];
    expect(db?.vaultTo).toEqual([
      expect.objectContaining({ account: '222222222222', roleName: 'ebs-snapper-member' }),
    ]);
    expect(db?.copyTo.map((t) => t.region)).toEqual(['us-west-2']);
    expect(result.warnings.map((w) => w.code)).toContain('config.vault-unlocked');
  });

  it('refuses an entry with neither region nor account, two roles for one vault, and a vault among the sources', () => {
    // Prepare / Act
    const neither = parseConfig(
      doc('    retention: {minimum: 1}\n    copy_to:\n      - {retention: {minimum: 1}}\n'),
    );
    const roles = parseConfig(
      doc(
        '    retention: {minimum: 1}\n    copy_to:\n' +
          '      - {account: "222222222222", region: us-east-1, role_name: a, retention: {minimum: 1}}\n' +
          '      - {account: "222222222222", region: us-west-2, role_name: b, retention: {minimum: 1}}\n',
      ),
    );
    const source = parseConfig(
      doc(
        '    retention: {minimum: 1}\n    copy_to:\n      - {account: "222222222222", retention: {minimum: 1}}\n',
        'settings: {accounts: ["111111111111", "222222222222"]}\n',
      ),
    );
    const ambiguous = parseConfig(
      doc(
        '    retention: {minimum: 1}\n    copy_to:\n' +
          '      - {account: "222222222222", retention: {minimum: 1}}\n' +
          '      - {account: "222222222222", region: us-west-2, retention: {minimum: 1}}\n',
      ),
    );

    // Assess
    expect(neither.errors).toEqual([
      'policies[0].copy_to[0].region: required (or give account, for a copy owned by a vault account)',
    ]);
    expect(roles.errors[0]).toContain('give one role_name per account');
    expect(source.errors[0]).toContain('leave it out of settings.accounts');
    expect(ambiguous.errors[0]).toContain("one of them to the source's own region");
  });
});
