/**
 * The Recycle Bin (SPEC §14) on the AWS SDK: the account × region's retention rules for EBS
 * snapshots (rbin ListRules, then GetRule for each rule's tags, which ListRules does not give),
 * what is in the bin (EC2 ListSnapshotsInRecycleBin), and restoring a snapshot from it (EC2
 * RestoreSnapshotFromRecycleBin: it comes back with its id and tags).
 */
import {
  type EC2Client,
  ListSnapshotsInRecycleBinCommand,
  type ListSnapshotsInRecycleBinCommandOutput,
  RestoreSnapshotFromRecycleBinCommand,
} from '@aws-sdk/client-ec2';
import type { GetRuleCommand, RbinClient, ResourceTag } from '@aws-sdk/client-rbin';
import { PortError } from '../app/kit/ports.js';
import type { BinnedSnapshot, BinRule, BinTag, RecycleBinRules } from '../core/model.js';
import { snapshotId } from '../core/model.js';
import { callAws } from './errors.js';

/** ListRules takes at most 100 a page. */
const RULES_PER_PAGE = 100;
/** ListSnapshotsInRecycleBin takes at most 1,000 a page. */
const BINNED_PER_PAGE = 1000;
/** Ids asked for in one ListSnapshotsInRecycleBin call. */
const IDS_PER_CALL = 200;

/**
 * The rules that keep deleted EBS snapshots, or why they could not be read. A rule still being
 * created (`pending`) keeps nothing yet, so it is left out.
 *
 * @example const bin = await readBinRules(clients.rbin); // { rules: [{ id, retentionDays: 7, ... }] }
 */
export async function readBinRules(client: () => Promise<RbinClient>): Promise<RecycleBinRules> {
  try {
    const rbin = await client();
    const { ListRulesCommand } = await import('./rbin-sdk.js');
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await callAws('ListRules', () =>
        rbin.send(
          new ListRulesCommand({
            ResourceType: 'EBS_SNAPSHOT',
            MaxResults: RULES_PER_PAGE,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
        ),
      );
      for (const rule of page.Rules ?? []) if (rule.Identifier) ids.push(rule.Identifier);
      token = page.NextToken || undefined;
    } while (token !== undefined);
    const rules = await Promise.all(ids.map((id) => readRule(rbin, id)));
    return { rules: rules.flatMap((r) => (r === undefined ? [] : [r])) };
  } catch (error) {
    if (!(error instanceof PortError)) throw error;
    return { unreadable: `${error.operation}: ${error.code}` };
  }
}

async function readRule(rbin: RbinClient, id: string): Promise<BinRule | undefined> {
  const { GetRuleCommand } = await import('./rbin-sdk.js');
  const command = new GetRuleCommand({ Identifier: id });
  const raw = keepRawBody(command);
  const rule = await callAws('GetRule', () => rbin.send(command));
  if (rule.Status !== undefined && rule.Status !== 'available') return undefined;
  const days = rule.RetentionPeriod?.RetentionPeriodValue;
  if (rule.ResourceType !== 'EBS_SNAPSHOT' || days === undefined) return undefined;
  return {
    id,
    retentionDays: days,
    resourceTags: pairs(rule.ResourceTags),
    excludeTags: pairs(raw.json?.ExcludeResourceTags as ResourceTag[] | undefined),
  };
}

/**
 * The answer's JSON as it came. The Recycle Bin client this package can install predates
 * `ExcludeResourceTags` (Region-level rules' exclusions) and drops it while parsing; read that
 * field from the body itself, or an excluded snapshot would be shown as kept by the bin.
 */
function keepRawBody(command: GetRuleCommand): { json?: Record<string, unknown> } {
  const kept: { json?: Record<string, unknown> } = {};
  const middleware = (next: (args: unknown) => Promise<{ response: unknown }>) => async (args: unknown) => {
    const out = await next(args);
    const response = out.response as { body?: unknown };
    const bytes = await readAll(response.body);
    response.body = bytes;
    try {
      kept.json = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
    } catch {
      delete kept.json;
    }
    return out;
  };
  // Inside the deserializer (priority low), so it sees the body before the parser reads it.
  command.middlewareStack.add(middleware as never, {
    step: 'deserialize',
    priority: 'low',
    name: 'rawRuleBody',
  });
  return kept;
}

async function readAll(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (body === undefined || body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

const pairs = (tags: readonly ResourceTag[] | undefined): BinTag[] =>
  (tags ?? []).flatMap((t) =>
    t.ResourceTagKey ? [{ key: t.ResourceTagKey, value: t.ResourceTagValue ?? '' }] : [],
  );

/**
 * The snapshots in the bin: all of them, or those of `ids` (200 ids a call).
 *
 * @example await listBinned(clients.ec2, ['snap-1']) // [{ snapshotId: 'snap-1', exitsAt: ... }]
 */
export async function listBinned(ec2: EC2Client, ids?: readonly string[]): Promise<BinnedSnapshot[]> {
  if (ids === undefined) return listBinnedPages(ec2, undefined);
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_CALL) chunks.push(ids.slice(i, i + IDS_PER_CALL));
  return (await Promise.all(chunks.map((chunk) => listBinnedPages(ec2, chunk)))).flat();
}

async function listBinnedPages(
  ec2: EC2Client,
  ids: readonly string[] | undefined,
): Promise<BinnedSnapshot[]> {
  const binned: BinnedSnapshot[] = [];
  let token: string | undefined;
  do {
    const page: ListSnapshotsInRecycleBinCommandOutput = await callAws('ListSnapshotsInRecycleBin', () =>
      ec2.send(
        new ListSnapshotsInRecycleBinCommand({
          ...(ids === undefined ? { MaxResults: BINNED_PER_PAGE } : { SnapshotIds: [...ids] }),
          ...(token === undefined ? {} : { NextToken: token }),
        }),
      ),
    );
    for (const s of page.Snapshots ?? []) {
      if (!s.SnapshotId) continue;
      binned.push({
        snapshotId: snapshotId(s.SnapshotId),
        ...(s.VolumeId === undefined ? {} : { volumeId: s.VolumeId }),
        ...(s.RecycleBinEnterTime === undefined ? {} : { enteredAt: s.RecycleBinEnterTime.getTime() }),
        ...(s.RecycleBinExitTime === undefined ? {} : { exitsAt: s.RecycleBinExitTime.getTime() }),
      });
    }
    token = page.NextToken || undefined;
  } while (token !== undefined);
  return binned;
}

/** Restore one snapshot from the bin; `InvalidSnapshot.NotFound` when it is not there (any more). */
export async function restoreFromBin(ec2: EC2Client, id: string): Promise<void> {
  await callAws('RestoreSnapshotFromRecycleBin', () =>
    ec2.send(new RestoreSnapshotFromRecycleBinCommand({ SnapshotId: id })),
  );
}
