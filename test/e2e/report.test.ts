/**
 * `report` and `forecast` end to end: the built CLI against moto behind the counting proxy. A
 * fleet with one volume on time (OK), one late (OVERDUE, by moving `--now`), one no policy
 * selects (UNPROTECTED), snapshots no policy owns (unmanaged) and a series whose volume is gone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { launchInstances, snapshotVolume } from '../../scripts/seed-ec2.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';
import { type CliEnv, runCli, workDir, writePolicy } from './cli.js';
import { ec2Client } from './fleet.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const POLICY = `version: 1
settings: {regions: [us-east-1]}
policies:
  - id: daily
    select: {instance_names: [late-*]}
    schedule: {every: 1 day}
    retention: {minimum: 3}
  - id: weekly
    select: {instance_names: [ok-*]}
    schedule: {every: 1 week}
    retention: {minimum: 2}
`;

interface ReportJson {
  totals: Record<string, number>;
  policies: { policy: string; volumes: number; snapshots: number; upper_bound_bytes: number }[];
  volumes: { status: string; policy: string; volume_id: string; instance_name: string; next_due: string }[];
  unprotected: { status: string; volume_id: string; instance_name: string; tags: Record<string, string> }[];
  unmanaged: { snapshots: number }[];
  orphaned_series: { policy: string; volume_id: string; snapshots: number }[];
}

describe('report and forecast, end to end', () => {
  const t = useMotoBehindProxy();
  let env: CliEnv;
  let config: string;
  let volumes: Record<'ok' | 'late' | 'bare', string>;

  beforeEach(async () => {
    const ec2 = ec2Client(t.moto.endpoint);
    env = { endpoint: t.proxy.endpoint, workDir: workDir() };
    config = writePolicy(env.workDir, POLICY);
    const launch = async (name: string) =>
      (await launchInstances(ec2, { count: 1, name, tags: { Team: 'shop' }, devices: ['/dev/sda1'] }))[0]!
        .volumes[0]!;
    volumes = { ok: await launch('ok-1'), late: await launch('late-1'), bare: await launch('bare-1') };
    const ours = (policy: string, volume: string) => ({
      'ebs-snapper:policy': policy,
      'ebs-snapper:volume-id': volume,
    });
    await snapshotVolume(ec2, volumes.ok, { description: 'weekly', tags: ours('weekly', volumes.ok) });
    await snapshotVolume(ec2, volumes.late, { description: 'daily', tags: ours('daily', volumes.late) });
    await snapshotVolume(ec2, volumes.bare, { description: 'by hand' });
    await snapshotVolume(ec2, volumes.bare, {
      description: 'old tool',
      tags: { 'ebs-snapper:policy': 'retired' },
    });
    await snapshotVolume(ec2, volumes.bare, {
      description: 'gone',
      tags: ours('daily', 'vol-0gone0000000000'),
    });
    t.proxy.resetCounts();
  });

  const inTwoDays = () => new Date(Date.now() + 2 * DAY).toISOString();

  it('shows OK, OVERDUE and UNPROTECTED volumes, unmanaged snapshots and orphaned series as text', async () => {
    // Act
    const result = await runCli(['report', '-c', config, '--now', inTwoDays()], env);

    // Assess
    expect(result.code).toBe(0);
    const line = (volume: string) => result.stdout.split('\n').find((l) => l.includes(volume)) ?? '';
    expect(line(volumes.ok)).toMatch(/^\s+OK\s+weekly\s/);
    expect(line(volumes.late)).toMatch(/^\s+OVERDUE\s+daily\s.*due now/);
    expect(line(volumes.bare)).toMatch(/UNPROTECTED .*bare-1 .*Name=bare-1-disk Team=shop/);
    expect(result.stdout).toMatch(/Unmanaged snapshots: 2, 16\.0 GiB/);
    expect(result.stdout).toMatch(
      /Orphaned series \(source volume gone\): 1\n\s+daily\s+vol-0gone0000000000\s+1 snapshot/,
    );
    expect(result.stdout).toMatch(
      /Report: 2 volume series covered \(1 OK, 1 OVERDUE\), 1 UNPROTECTED; 3 snapshots/,
    );
    expect(t.proxy.counts()).toMatchObject({ DescribeSnapshots: 1, DescribeVolumes: 1 });
    expect(t.proxy.counts().CreateSnapshot).toBeUndefined();
  });

  it('prints one JSON document with every status, size (upper bound) and count', async () => {
    // Act
    const result = await runCli(['report', '-c', config, '--now', inTwoDays(), '--output', 'json'], env);

    // Assess
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as ReportJson;
    expect(json.volumes.map((v) => [v.status, v.policy, v.volume_id, v.instance_name])).toEqual([
      ['OVERDUE', 'daily', volumes.late, 'late-1'],
      ['OK', 'weekly', volumes.ok, 'ok-1'],
    ]);
    expect(json.unprotected).toEqual([
      expect.objectContaining({
        status: 'UNPROTECTED',
        volume_id: volumes.bare,
        instance_name: 'bare-1',
        tags: { Name: 'bare-1-disk', Team: 'shop' },
      }),
    ]);
    expect(json.totals).toMatchObject({
      series: 2,
      ok: 1,
      overdue: 1,
      unprotected: 1,
      unmanaged_snapshots: 2,
      orphaned_series: 1,
    });
    expect(json.policies.map((p) => [p.policy, p.volumes, p.snapshots, p.upper_bound_bytes])).toEqual([
      ['daily', 1, 2, 16 * 2 ** 30],
      ['weekly', 1, 1, 8 * 2 ** 30],
    ]);
    expect(json.orphaned_series).toEqual([
      expect.objectContaining({ policy: 'daily', volume_id: 'vol-0gone0000000000', snapshots: 1 }),
    ]);
  });

  it('--fail-on exits 1 when a volume has that status, 0 when none has', async () => {
    // Act
    const overdue = await runCli(['report', '-c', config, '--now', inTwoDays(), '--fail-on', 'overdue'], env);
    const unprotected = await runCli(['report', '-c', config, '--fail-on', 'unprotected'], env);
    const onTime = await runCli(['report', '-c', config, '--fail-on', 'overdue'], env);
    const both = await runCli(
      ['report', '-c', config, '--now', inTwoDays(), '--fail-on', 'overdue,unprotected'],
      env,
    );
    const bad = await runCli(['report', '-c', config, '--fail-on', 'late'], env);

    // Assess
    expect(overdue.code).toBe(1);
    expect(overdue.stderr).toMatch(/1 volume series OVERDUE \(--fail-on overdue\)/);
    expect(unprotected.code).toBe(1);
    expect(unprotected.stderr).toMatch(/1 volume UNPROTECTED/);
    expect(onTime.code).toBe(0);
    expect(onTime.stdout).toMatch(/\(2 OK, 0 OVERDUE\)/);
    expect(both.code).toBe(1);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/"late" is not one of overdue, unprotected/);
  });

  describe('a target that could not be read', () => {
    const REFUSED = '333333333333';
    const role = (account: string) => `arn:aws:iam::${account}:role/ebs-snapper`;
    const roles = ['--role-arn', role('123456789012'), '--role-arn', role(REFUSED)];
    const refuseRole = () =>
      t.proxy.configure({
        errorsFor: {
          AssumeRole: {
            code: 'AccessDenied',
            status: 403,
            message: 'not authorized to perform sts:AssumeRole',
            when: { RoleArn: role(REFUSED) },
          },
        },
      });

    it('shows a refused role as UNKNOWN in text, JSON and the page, and exits 1', async () => {
      // Prepare
      refuseRole();
      const page = join(env.workDir, 'report.html');

      // Act
      const text = await runCli(['report', '-c', config, ...roles], env);
      const json = await runCli(['report', '-c', config, ...roles, '--output', 'json'], env);
      const html = await runCli(['report', '-c', config, ...roles, '--output', 'html', '--out', page], env);

      // Assess
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(/Could not be read: 1 account × region; their volumes are UNKNOWN/);
      expect(text.stdout).toMatch(new RegExp(`UNKNOWN  ${REFUSED}/\\*  AccessDenied: .*AssumeRole`));
      expect(text.stdout).toMatch(/^Report: UNKNOWN: 1 account × region could not be read/m);
      expect(text.stdout).toMatch(/\(1 account × region read, 1 UNKNOWN\)\.$/m);
      expect(json.code).toBe(1);
      const document = JSON.parse(json.stdout) as Record<string, unknown> & {
        totals: Record<string, number>;
      };
      expect(document).toMatchObject({ status: 'UNKNOWN', complete: false });
      expect(document.totals).toMatchObject({ targets: 2, targets_read: 1, targets_unknown: 1 });
      expect(document.targets).toEqual([
        {
          account: REFUSED,
          region: null,
          status: 'UNKNOWN',
          error: { code: 'AccessDenied', message: expect.stringContaining('AssumeRole') },
          volumes: null,
          note: 'could not be read: its volumes are unknown',
        },
        { account: '123456789012', region: 'us-east-1', status: 'READ', error: null, volumes: 3 },
      ]);
      expect(html.code).toBe(1);
      const written = readFileSync(page, 'utf8');
      expect(written).toContain(
        '<section class="panel alert"><h2>Could not be read: 1 account × region</h2>',
      );
      expect(written).toContain(`<td class="mono">${REFUSED}/*</td>`);
    });

    it('--fail-on says the UNKNOWN target may hide that status, even when no volume read has it', async () => {
      // Prepare
      refuseRole();

      // Act
      const result = await runCli(['report', '-c', config, ...roles, '--fail-on', 'overdue'], env);

      // Assess
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/\(1 OK, 1 OVERDUE\)|\(2 OK, 0 OVERDUE\)/);
      expect(result.stderr).toMatch(
        /report: 1 account × region UNKNOWN: could not be read, so any of its volumes may be OVERDUE \(--fail-on overdue\)/,
      );
    });

    it('shows a region whose listing was refused as UNKNOWN, beside the region that was read', async () => {
      // Prepare: the first DescribeVolumes of the two regions is refused, whichever asks first.
      t.proxy.configure({
        errorsFor: { DescribeVolumes: { code: 'UnauthorizedOperation', status: 403, times: 1 } },
      });
      const regions = ['--region', 'us-east-1', '--region', 'us-west-2'];

      // Act
      const json = await runCli(['report', '-c', config, ...regions, '--output', 'json'], env);
      const forecast = await runCli(
        ['forecast', '-c', config, ...regions, '--days', '7', '--output', 'json'],
        env,
      );

      // Assess
      expect(json.code).toBe(1);
      const document = JSON.parse(json.stdout) as {
        status: string;
        targets: { region: string; status: string; error: { code: string } | null }[];
      };
      expect(document.status).toBe('UNKNOWN');
      const unknown = document.targets.filter((target) => target.status === 'UNKNOWN');
      expect(unknown).toEqual([
        expect.objectContaining({ error: expect.objectContaining({ code: 'UnauthorizedOperation' }) }),
      ]);
      expect(['us-east-1', 'us-west-2']).toContain(unknown[0]!.region);
      expect(document.targets.filter((target) => target.status === 'READ')).toHaveLength(1);
      expect(forecast.code).toBe(0);
      expect(JSON.parse(forecast.stdout)).toMatchObject({ complete: true, targets_unknown: [] });
    });

    it('forecast names what it could not read, and exits 1', async () => {
      // Prepare
      refuseRole();

      // Act
      const text = await runCli(['forecast', '-c', config, ...roles, '--days', '7'], env);
      const json = await runCli(['forecast', '-c', config, ...roles, '--days', '7', '--output', 'json'], env);

      // Assess
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(new RegExp(`UNKNOWN  ${REFUSED}/\\*  AccessDenied`));
      expect(text.stdout).toMatch(/INCOMPLETE: 1 account × region UNKNOWN, not counted\./);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({
        complete: false,
        targets: 1,
        targets_unknown: [{ account: REFUSED, region: null, status: 'UNKNOWN' }],
      });
    });

    it('keeps the UNKNOWN target in a saved inventory: a report made from the file shows it too', async () => {
      // Prepare
      refuseRole();
      const saved = join(env.workDir, 'inventory.json');
      await runCli(['plan', '-c', config, ...roles, '--save-inventory', saved], env);
      const offline: CliEnv = { endpoint: 'http://127.0.0.1:9', workDir: env.workDir };

      // Act
      const result = await runCli(
        ['report', '-c', config, '--inventory', saved, '--output', 'json'],
        offline,
      );

      // Assess
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toMatchObject({ status: 'UNKNOWN', totals: { targets_unknown: 1 } });
      expect(result.stderr).toContain(
        `${REFUSED}/*: could not be read when ${saved} was saved: AccessDenied`,
      );
    });
  });

  it('refuses a saved inventory with a time or size out of range, naming the item, with exit 1', async () => {
    // Prepare
    const saved = join(env.workDir, 'inventory.json');
    await runCli(['plan', '-c', config, '--save-inventory', saved], env);
    const text = readFileSync(saved, 'utf8');
    const broken = join(env.workDir, 'broken.json');
    writeFileSync(
      broken,
      text.replace(/"startTime":\d+/, '"startTime":1e300').replace(/"sizeGiB":\d+/, '"sizeGiB":-8'),
    );
    const offline: CliEnv = { endpoint: 'http://127.0.0.1:9', workDir: env.workDir };

    // Act
    const forecast = await runCli(
      ['forecast', '-c', config, '--inventory', broken, '--output', 'json'],
      offline,
    );
    const report = await runCli(['report', '-c', config, '--inventory', broken], offline);

    // Assess
    for (const result of [forecast, report]) {
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/broken\.json: 2 problems in the saved inventory/);
      expect(result.stderr).toMatch(/inventories\[0\]\.volumes\[\d+\]\.sizeGiB: -8 is not a volume size/);
      expect(result.stderr).toMatch(
        /inventories\[0\]\.snapshots\[\d+\]\.startTime: 1e\+300 is not a valid time/,
      );
      expect(result.stderr).not.toMatch(/NaN|Invalid Date|at .*\.js:\d+/);
    }
  });

  it('saves the inventory with plan --save-inventory, and forecasts it with no AWS at all', async () => {
    // Prepare
    const saved = join(env.workDir, 'inventory.json');
    const plan = await runCli(['plan', '-c', config, '--save-inventory', saved], env);
    const calls = t.proxy.counts();
    const offline: CliEnv = { endpoint: 'http://127.0.0.1:9', workDir: env.workDir };

    // Act
    const forecast = await runCli(
      ['forecast', '-c', config, '--inventory', saved, '--days', '30', '--output', 'json'],
      offline,
    );
    const text = await runCli(['forecast', '-c', config, '--inventory', saved, '--days', '30'], offline);

    // Assess
    expect(plan.code).toBe(0);
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toMatchObject({
      format: 'ebs-snapper-inventory',
      version: 1,
    });
    expect(t.proxy.counts()).toEqual(calls);
    expect(forecast.code).toBe(0);
    const json = JSON.parse(forecast.stdout) as {
      days: number;
      policies: { policy: string; series: number; points: { snapshots: number }[] }[];
    };
    expect(json.days).toBe(30);
    expect(json.policies.map((p) => [p.policy, p.series, p.points.length])).toEqual([
      ['daily', 1, 31],
      ['weekly', 1, 31],
    ]);
    // daily keeps the newest 3 and takes one more at each run; the orphan's one snapshot stays.
    expect(json.policies[0]!.points.at(-1)!.snapshots).toBe(5);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Forecast: 30 days from/);
  });
});
