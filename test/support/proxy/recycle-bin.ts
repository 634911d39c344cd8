/**
 * The Recycle Bin for the fault proxy (moto has none: its DeleteSnapshot deletes for good). The
 * rules a test gives are answered by rbin's ListRules and GetRule (REST-JSON, rbin's own shapes);
 * a DeleteSnapshot of a snapshot a rule keeps is not sent to moto — the snapshot stays there but is
 * hidden from DescribeSnapshots while it is in the bin — ListSnapshotsInRecycleBin shows it, and
 * RestoreSnapshotFromRecycleBin brings it back with its id and tags. Past its retention (by the
 * emulation's clock) it is deleted in moto for good. Rules and bins are per account and region.
 */
import { randomUUID } from 'node:crypto';
import { DeleteSnapshotCommand, DescribeSnapshotsCommand, type Snapshot } from '@aws-sdk/client-ec2';
import { readList } from '../fakes/fake-ec2-filters.js';
import { ec2ErrorBody, ec2Response, escapeXml } from '../fakes/fake-ec2-xml.js';
import type { Callers } from './caller.js';
import type { EmulatedAnswer, EmulatedRequest, Emulation } from './faults.js';
import { joinListItems, splitListItems } from './xml-items.js';

const DAY = 86_400_000;

/** A retention rule for EBS snapshots, as a test writes it. */
export interface BinRuleConfig {
  readonly id: string;
  readonly retentionDays: number;
  /** Tag-level: a snapshot with one of these is kept. None: a Region-level rule. */
  readonly resourceTags?: readonly { readonly key: string; readonly value?: string }[];
  /** Region-level: a snapshot with one of these is not kept. */
  readonly excludeTags?: readonly { readonly key: string; readonly value?: string }[];
  /** Default `available`; a `pending` rule keeps nothing yet. */
  readonly status?: 'available' | 'pending';
  /** Default every account and region. */
  readonly account?: string;
  readonly region?: string;
}

/** A snapshot in the bin. */
export interface BinnedEntry {
  readonly snapshotId: string;
  readonly account: string;
  readonly region: string;
  readonly enteredAt: Date;
  readonly exitsAt: Date;
  readonly description?: string;
  readonly volumeId?: string;
}

export interface RecycleBinEmulator extends Emulation {
  binned(): readonly BinnedEntry[];
}

const EC2_ACTIONS = new Set(['DeleteSnapshot', 'ListSnapshotsInRecycleBin', 'RestoreSnapshotFromRecycleBin']);

/** @example proxy.configure({ emulations: [createRecycleBinEmulator(callers, [{ id: 'r', retentionDays: 7 }])] }) */
export function createRecycleBinEmulator(
  callers: Callers,
  rules: readonly BinRuleConfig[],
  now: () => Date = () => new Date(),
): RecycleBinEmulator {
  const bin = new Map<string, BinnedEntry>();
  const rulesOf = (account: string, region: string) =>
    rules.filter((r) => (r.account ?? account) === account && (r.region ?? region) === region);

  /** Past their retention, snapshots leave the bin for good. */
  const sweep = async () => {
    for (const entry of [...bin.values()]) {
      if (entry.exitsAt.getTime() > now().getTime()) continue;
      bin.delete(entry.snapshotId);
      const ec2 = await callers.ec2As(entry.account, entry.region);
      await ec2.send(new DeleteSnapshotCommand({ SnapshotId: entry.snapshotId })).catch(() => undefined);
    }
  };

  return {
    answers: (service, action) =>
      (service === 'rbin' && (action === 'ListRules' || action === 'GetRule')) ||
      (service === 'ec2' && EC2_ACTIONS.has(action)),
    binned: () => [...bin.values()],
    async answer(request) {
      await sweep();
      const account = await callers.accountOf(request.headers);
      const region = callers.regionOf(request.headers);
      const mine = (e: BinnedEntry) => e.account === account && e.region === region;
      switch (request.action) {
        case 'ListRules':
          return listRules(rulesOf(account, region), request);
        case 'GetRule':
          return getRule(rulesOf(account, region), request);
        case 'ListSnapshotsInRecycleBin': {
          const ids = readList(request.params, 'SnapshotId');
          const entries = [...bin.values()].filter(
            (e) => mine(e) && (ids.length === 0 || ids.includes(e.snapshotId)),
          );
          return xml(
            200,
            ec2Response(
              'ListSnapshotsInRecycleBin',
              `<snapshotSet>${entries.map(writeBinned).join('')}</snapshotSet>`,
            ),
          );
        }
        case 'RestoreSnapshotFromRecycleBin':
          return restore(request, account, region);
        default:
          return deleteSnapshot(request, account, region);
      }
    },
    async rewrite(request, answer) {
      if (request.action !== 'DescribeSnapshots' || answer.status !== 200 || bin.size === 0) return undefined;
      await sweep();
      const split = splitListItems(answer.body.toString('utf8'), 'snapshotSet');
      if (split === undefined) return undefined;
      const shown = split.items.filter(
        (item) => !bin.has(/<snapshotId>([^<]+)<\/snapshotId>/.exec(item)?.[1] ?? ''),
      );
      const token = /<nextToken>([^<]+)<\/nextToken>/.exec(answer.body.toString('utf8'))?.[1];
      return { ...answer, body: Buffer.from(joinListItems(split, shown, token)) };
    },
  };

  async function deleteSnapshot(request: EmulatedRequest, account: string, region: string) {
    const id = request.params.get('SnapshotId') ?? '';
    if (bin.has(id))
      return xml(400, ec2ErrorBody('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`));
    const snapshot = await describe(account, region, id);
    if (snapshot === undefined) return undefined;
    const tags = Object.fromEntries((snapshot.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    const days = keepDays(rulesOf(account, region), tags);
    if (days === undefined) return undefined;
    const enteredAt = now();
    bin.set(id, {
      snapshotId: id,
      account,
      region,
      enteredAt,
      exitsAt: new Date(enteredAt.getTime() + days * DAY),
      ...(snapshot.Description === undefined ? {} : { description: snapshot.Description }),
      ...(snapshot.VolumeId === undefined ? {} : { volumeId: snapshot.VolumeId }),
    });
    return xml(200, ec2Response('DeleteSnapshot', '<return>true</return>'));
  }

  async function restore(request: EmulatedRequest, account: string, region: string) {
    const id = request.params.get('SnapshotId') ?? '';
    const entry = bin.get(id);
    if (entry === undefined || entry.account !== account || entry.region !== region)
      return xml(
        400,
        ec2ErrorBody('InvalidSnapshot.NotFound', `The snapshot '${id}' is not in the Recycle Bin.`),
      );
    bin.delete(id);
    const s = await describe(account, region, id);
    return xml(
      200,
      ec2Response(
        'RestoreSnapshotFromRecycleBin',
        `<snapshotId>${id}</snapshotId><description>${escapeXml(s?.Description ?? '')}</description>` +
          `<encrypted>${s?.Encrypted === true}</encrypted><ownerId>${account}</ownerId><progress>100%</progress>` +
          `<startTime>${(s?.StartTime ?? now()).toISOString()}</startTime><status>${s?.State ?? 'completed'}</status>` +
          `<volumeId>${s?.VolumeId ?? ''}</volumeId><volumeSize>${s?.VolumeSize ?? 0}</volumeSize>`,
      ),
    );
  }

  async function describe(account: string, region: string, id: string): Promise<Snapshot | undefined> {
    const ec2 = await callers.ec2As(account, region);
    const found = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] })).catch(() => undefined);
    const snapshot = found?.Snapshots?.[0];
    return snapshot?.OwnerId === account ? snapshot : undefined;
  }
}

/** The longest retention of the available rules that keep a snapshot with `tags` (rbin's rule). */
function keepDays(
  rules: readonly BinRuleConfig[],
  tags: Readonly<Record<string, string>>,
): number | undefined {
  const has = (t: { key: string; value?: string }) => tags[t.key] === (t.value ?? '');
  let days: number | undefined;
  for (const rule of rules) {
    if ((rule.status ?? 'available') !== 'available') continue;
    const keeps =
      (rule.resourceTags ?? []).length > 0
        ? (rule.resourceTags ?? []).some(has)
        : !(rule.excludeTags ?? []).some(has);
    if (keeps && (days === undefined || rule.retentionDays > days)) days = rule.retentionDays;
  }
  return days;
}

function listRules(rules: readonly BinRuleConfig[], request: EmulatedRequest): EmulatedAnswer {
  const body = JSON.parse(request.body.toString('utf8') || '{}') as {
    ResourceType?: string;
    MaxResults?: number;
    NextToken?: string;
  };
  if (body.ResourceType !== 'EBS_SNAPSHOT') return json(200, { Rules: [] });
  const offset = Number(body.NextToken ?? '0') || 0;
  const size = body.MaxResults ?? 100;
  const page = rules.slice(offset, offset + size);
  return json(200, {
    Rules: page.map((r) => ({
      Identifier: r.id,
      Description: `rule ${r.id}`,
      RetentionPeriod: { RetentionPeriodValue: r.retentionDays, RetentionPeriodUnit: 'DAYS' },
      RuleArn: `arn:aws:rbin:us-east-1:123456789012:rule/${r.id}`,
    })),
    ...(offset + size < rules.length ? { NextToken: String(offset + size) } : {}),
  });
}

function getRule(rules: readonly BinRuleConfig[], request: EmulatedRequest): EmulatedAnswer {
  const id = decodeURIComponent(/\/rules\/([^/?]+)/.exec(request.url)?.[1] ?? '');
  const rule = rules.find((r) => r.id === id);
  if (rule === undefined) return json(404, { Message: `rule ${id} not found` }, 'ResourceNotFoundException');
  const pairs = (tags: BinRuleConfig['resourceTags']) =>
    (tags ?? []).map((t) => ({
      ResourceTagKey: t.key,
      ...(t.value === undefined ? {} : { ResourceTagValue: t.value }),
    }));
  return json(200, {
    Identifier: rule.id,
    Description: `rule ${rule.id}`,
    ResourceType: 'EBS_SNAPSHOT',
    RetentionPeriod: { RetentionPeriodValue: rule.retentionDays, RetentionPeriodUnit: 'DAYS' },
    ResourceTags: pairs(rule.resourceTags),
    ExcludeResourceTags: pairs(rule.excludeTags),
    Status: rule.status ?? 'available',
    RuleArn: `arn:aws:rbin:us-east-1:123456789012:rule/${rule.id}`,
  });
}

function writeBinned(e: BinnedEntry): string {
  return (
    `<item><snapshotId>${e.snapshotId}</snapshotId><recycleBinEnterTime>${e.enteredAt.toISOString()}</recycleBinEnterTime>` +
    `<recycleBinExitTime>${e.exitsAt.toISOString()}</recycleBinExitTime>` +
    `<description>${escapeXml(e.description ?? '')}</description><volumeId>${e.volumeId ?? ''}</volumeId></item>`
  );
}

function xml(status: number, body: string): EmulatedAnswer {
  return {
    status,
    headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': randomUUID() },
    body: Buffer.from(body),
  };
}

function json(status: number, body: unknown, errorType?: string): EmulatedAnswer {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': randomUUID(),
      ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
    },
    body: Buffer.from(JSON.stringify(body)),
  };
}
