/**
 * Snapshots shared with and copied by another account, for the fault proxy. moto keeps each
 * account's snapshots apart and cannot copy another account's shared snapshot (its CopySnapshot
 * answers `InvalidSnapshot.NotFound`), and it ignores `RestorableByUserIds`. So:
 *
 * - ModifySnapshotAttribute goes to moto (which records createVolumePermission) and the emulation
 *   notes whose snapshot it is; adding an account to an encrypted snapshot under the default
 *   aws/ebs key (no customer key: `Encrypted` with no `KmsKeyId` in moto) is refused, as EC2 refuses
 *   to share such a snapshot;
 * - CopySnapshot by an account the source is shared with makes the copy in that account (a volume
 *   of the source's size made and snapshotted there, with the request's tags and description,
 *   then deleted): the copy's OwnerId is the copying account's, and the source account cannot see
 *   or delete it. An account the source is not shared with gets `InvalidSnapshot.NotFound`;
 * - DescribeSnapshots with `RestorableBy.N` keeps only the snapshots shared with those accounts,
 *   and a copy made here shows `pending` for its first `pendingLooks` answers.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  type Tag,
} from '@aws-sdk/client-ec2';
import { readList } from '../fakes/fake-ec2-filters.js';
import { ec2ErrorBody, ec2Response } from '../fakes/fake-ec2-xml.js';
import type { Callers } from './caller.js';
import type { EmulatedAnswer, EmulatedRequest, Emulation } from './faults.js';
import { joinListItems, splitListItems } from './xml-items.js';

export interface CrossAccountOptions {
  /** DescribeSnapshots answers that show a copy made here as `pending` before `completed`. Default 0. */
  readonly pendingLooks?: number;
}

/** A copy made across accounts. */
export interface CrossAccountCopy {
  readonly copyId: string;
  readonly owner: string;
  readonly region: string;
  readonly sourceSnapshotId: string;
  readonly sourceAccount: string;
}

export interface CrossAccountEmulator extends Emulation {
  copies(): readonly CrossAccountCopy[];
}

const ACTIONS = new Set(['ModifySnapshotAttribute', 'CopySnapshot']);

/** @example proxy.configure({ emulations: [createCrossAccountEmulator(callers)] }) */
export function createCrossAccountEmulator(
  callers: Callers,
  options: CrossAccountOptions = {},
): CrossAccountEmulator {
  /** Snapshot id → its owner and region, for every snapshot whose sharing went through the proxy. */
  const owners = new Map<string, { account: string; region: string }>();
  const made: CrossAccountCopy[] = [];
  const looks = new Map<string, number>();
  return {
    answers: (service, action) => service === 'ec2' && ACTIONS.has(action),
    copies: () => [...made],
    async answer(request) {
      const account = await callers.accountOf(request.headers);
      const region = callers.regionOf(request.headers);
      if (request.action === 'ModifySnapshotAttribute') return share(request, account, region);
      return copy(request, account, region);
    },
    async rewrite(request, answer) {
      if (request.action !== 'DescribeSnapshots' || answer.status !== 200) return undefined;
      const restorableBy = readList(request.params, 'RestorableBy');
      const pending = made.filter((c) => (looks.get(c.copyId) ?? 0) < (options.pendingLooks ?? 0));
      if (restorableBy.length === 0 && pending.length === 0) return undefined;
      const text = answer.body.toString('utf8');
      const split = splitListItems(text, 'snapshotSet');
      if (split === undefined) return undefined;
      const account = await callers.accountOf(request.headers);
      const ec2 = await callers.ec2As(account, callers.regionOf(request.headers));
      const items: string[] = [];
      for (const item of split.items) {
        const id = /<snapshotId>([^<]+)<\/snapshotId>/.exec(item)?.[1] ?? '';
        if (restorableBy.length > 0) {
          const attribute = await ec2
            .send(
              new DescribeSnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission' }),
            )
            .catch(() => undefined);
          const users = (attribute?.CreateVolumePermissions ?? []).map((p) => p.UserId);
          if (!restorableBy.some((u) => users.includes(u))) continue;
        }
        if (pending.some((c) => c.copyId === id)) {
          looks.set(id, (looks.get(id) ?? 0) + 1);
          items.push(item.replace(/<status>completed<\/status>/, '<status>pending</status>'));
        } else items.push(item);
      }
      const token = /<nextToken>([^<]+)<\/nextToken>/.exec(text)?.[1];
      return { ...answer, body: Buffer.from(joinListItems(split, items, token)) };
    },
  };

  async function share(request: EmulatedRequest, account: string, region: string) {
    const id = request.params.get('SnapshotId') ?? '';
    const ec2 = await callers.ec2As(account, region);
    const found = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] })).catch(() => undefined);
    const snapshot = found?.Snapshots?.[0];
    if (snapshot?.OwnerId === account) owners.set(id, { account, region });
    const adding =
      request.params.get('OperationType') === 'add' ||
      [...request.params.keys()].some((k) => /^CreateVolumePermission\.Add\./.test(k));
    if (adding && snapshot?.Encrypted === true && snapshot.KmsKeyId === undefined) {
      return xml(
        400,
        ec2ErrorBody(
          'InvalidParameter',
          'Snapshots encrypted with the AWS Managed KMS key cannot be shared. Try again with a customer managed KMS key.',
        ),
      );
    }
    return undefined;
  }

  async function copy(request: EmulatedRequest, account: string, region: string) {
    const sourceId = request.params.get('SourceSnapshotId') ?? '';
    const owner = owners.get(sourceId);
    if (owner === undefined || owner.account === account) return undefined;
    const notFound = xml(
      400,
      ec2ErrorBody('InvalidSnapshot.NotFound', `The snapshot '${sourceId}' does not exist.`),
    );
    if (owner.region !== request.params.get('SourceRegion')) return notFound;
    const ownerEc2 = await callers.ec2As(owner.account, owner.region);
    const attribute = await ownerEc2
      .send(
        new DescribeSnapshotAttributeCommand({ SnapshotId: sourceId, Attribute: 'createVolumePermission' }),
      )
      .catch(() => undefined);
    if (!(attribute?.CreateVolumePermissions ?? []).some((p) => p.UserId === account)) return notFound;
    const source = (await ownerEc2.send(new DescribeSnapshotsCommand({ SnapshotIds: [sourceId] })))
      .Snapshots?.[0];
    const ec2 = await callers.ec2As(account, region);
    const volume = await ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: source?.VolumeSize ?? 1 }),
    );
    const created = await ec2.send(
      new CreateSnapshotCommand({
        VolumeId: volume.VolumeId!,
        Description: request.params.get('Description') ?? '',
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: tagsOf(request.params) }],
      }),
    );
    await ec2.send(new DeleteVolumeCommand({ VolumeId: volume.VolumeId! }));
    made.push({
      copyId: created.SnapshotId!,
      owner: account,
      region,
      sourceSnapshotId: sourceId,
      sourceAccount: owner.account,
    });
    return xml(200, ec2Response('CopySnapshot', `<snapshotId>${created.SnapshotId}</snapshotId>`));
  }
}

/** `TagSpecification.1.Tag.N.Key/Value` of a Query request. */
function tagsOf(params: URLSearchParams): Tag[] {
  const tags: Tag[] = [];
  for (let n = 1; params.has(`TagSpecification.1.Tag.${n}.Key`); n++)
    tags.push({
      Key: params.get(`TagSpecification.1.Tag.${n}.Key`)!,
      Value: params.get(`TagSpecification.1.Tag.${n}.Value`) ?? '',
    });
  return tags;
}

function xml(status: number, body: string): EmulatedAnswer {
  return {
    status,
    headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': randomUUID() },
    body: Buffer.from(body),
  };
}
