/**
 * The EC2 port of one account × region on the AWS SDK.
 */
import {
  CreateSnapshotCommand,
  CreateSnapshotsCommand,
  DeleteSnapshotCommand,
  type EC2Client,
  paginateDescribeSnapshots,
} from '@aws-sdk/client-ec2';
import type {
  CreatedSnapshot,
  CreateSnapshotRequest,
  CreateSnapshotsRequest,
  Ec2Port,
} from '../app/kit/ports.js';
import type { VaultRef } from '../core/actions.js';
import { type Snapshot, type SnapshotId, snapshotId, TAG, volumeId } from '../core/model.js';
import type { AwsClients } from './clients.js';
import { createCopyPort } from './copies.js';
import { collectInventory } from './ec2-inventory.js';
import { mapSnapshot, recordToTags } from './ec2-mappers.js';
import { AwsCallError, callAws, missingField } from './errors.js';
import { createInstancePort } from './instances.js';
import { lockSnapshot } from './locks.js';
import { collectPages } from './paging.js';
import { createSsmPort } from './ssm.js';
import { glanceTarget } from './target-glance.js';
import type { ThrottleRegistry } from './throttle.js';
import { applyThrottle } from './throttle-middleware.js';
import { createVaultPort } from './vault.js';
import { createVolumePort } from './volumes.js';

export interface Ec2PortOptions {
  readonly account: string;
  readonly region: string;
  /** Client-side buckets; share one registry per process. Omit for no client-side throttling. */
  readonly throttle?: ThrottleRegistry;
  /** See `CollectOptions.resolveAsgs`. Default false: the `aws:autoscaling:groupName` tag is enough. */
  readonly resolveAsgs?: boolean;
  /** Ends waits for a throttle token when the run must end (the clients' deadline signal). */
  readonly signal?: AbortSignal;
  /**
   * Clients of another region, same account and credentials (`copy_to` destinations). Without
   * it, copies cannot be listed or made.
   */
  readonly clientsIn?: (region: string) => AwsClients;
  /**
   * Clients acting as a vault account (its role assumed) in a region (`copy_to` with an
   * `account`, SPEC §14). Without it, no vault copy can be listed or made.
   */
  readonly vaultClientsIn?: (vault: VaultRef, region: string) => AwsClients;
}

/**
 * The {@link Ec2Port} of one account × region.
 *
 * Creates are NOT idempotent (EC2 has no client token for CreateSnapshot/CreateSnapshots), so they
 * go through `clients.ec2Create`, whose retry strategy retries throttling only: a 5xx or a timeout
 * may hide a create that succeeded, and a blind retry would make a duplicate. Such a failure comes
 * back as an {@link AwsCallError}; the apply step then calls `findRunSnapshots` (same run id and
 * policy) before it tries again (SPEC §7). Deletes and reads retry throttling, 5xx and timeouts.
 *
 * Applies the throttle middleware to the given clients (mutating them): every attempt of every
 * call, pages and SDK retries included, takes a token of its action's bucket.
 *
 * @example
 * const port = createEc2Port(createAwsClients({ region }), { account, region, throttle: new ThrottleRegistry() });
 * const inventory = await port.collectInventory({ policyIds: ['web-daily'] });
 */
export function createEc2Port(clients: AwsClients, options: Ec2PortOptions): Ec2Port {
  const { account, region, throttle } = options;
  if (throttle) {
    const scope = { account, region, ...(options.signal === undefined ? {} : { signal: options.signal }) };
    applyThrottle(clients.ec2, throttle, scope);
    applyThrottle(clients.ec2Create, throttle, scope);
    applyThrottle(clients.autoScaling, throttle, scope);
  }
  const others = new Map<string, AwsClients>();
  return {
    account,
    region,
    collectInventory: (collect) =>
      collectInventory(clients, {
        account,
        region,
        policyIds: collect.policyIds,
        ...(collect.unmanaged !== undefined && { unmanaged: collect.unmanaged }),
        ...(options.resolveAsgs !== undefined && { resolveAsgs: options.resolveAsgs }),
        ...(collect.onProgress !== undefined && { onProgress: collect.onProgress }),
        ...(collect.binContents === true && { binContents: true }),
      }),
    createSnapshot: (request) => createSnapshot(clients.ec2Create, request),
    createSnapshots: (request) => createSnapshots(clients.ec2Create, request),
    deleteSnapshot: (id) => deleteSnapshot(clients.ec2, id),
    findRunSnapshots: (runId, policy) => findRunSnapshots(clients.ec2, account, runId, policy),
    glance: (policyIds) => glanceTarget(clients.ec2, policyIds),
    instances: createInstancePort(clients),
    volumes: createVolumePort(clients),
    ssm: createSsmPort(clients.ssm),
    ssmUnbounded: createSsmPort(clients.finish.ssm),
    ...createCopyPort(account, region, clientsIn),
    locks: {
      lock: (where, id, lock) =>
        lockSnapshot(where === region ? clients.ec2 : clientsIn(where).ec2, id, lock),
    },
    ...(options.vaultClientsIn === undefined
      ? {}
      : {
          vaults: createVaultPort({
            account,
            region,
            clients,
            vaultClientsIn: (vault, where) =>
              throttled(options.vaultClientsIn!(vault, where), vault.account, where),
          }),
        }),
  };

  /** Clients of another region of the same account (`copy_to` destinations), throttled as theirs; once each. */
  function clientsIn(destination: string): AwsClients {
    if (options.clientsIn === undefined) throw noClientsFor(destination);
    let found = others.get(destination);
    if (found === undefined) {
      found = throttled(options.clientsIn(destination), account, destination);
      others.set(destination, found);
    }
    return found;
  }

  function throttled(other: AwsClients, owner: string, where: string): AwsClients {
    if (throttle) {
      const scope = { account: owner, region: where, ...(options.signal && { signal: options.signal }) };
      applyThrottle(other.ec2, throttle, scope);
      applyThrottle(other.ec2Create, throttle, scope);
    }
    return other;
  }
}

function noClientsFor(region: string): AwsCallError {
  return new AwsCallError('CopySnapshot', {
    code: 'NoClients',
    message: `no clients for ${region}: this port was made without clientsIn`,
    transient: false,
  });
}

/** One CreateSnapshot call, tagged at creation (TagSpecifications), never create-then-tag. */
async function createSnapshot(ec2: EC2Client, request: CreateSnapshotRequest): Promise<CreatedSnapshot> {
  const output = await callAws('CreateSnapshot', () =>
    ec2.send(
      new CreateSnapshotCommand({
        VolumeId: request.volumeId,
        Description: request.description,
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: recordToTags(request.tags) }],
      }),
    ),
  );
  if (!output.SnapshotId) throw missingField('CreateSnapshot', 'SnapshotId');
  return {
    snapshotId: snapshotId(output.SnapshotId),
    volumeId: volumeId(output.VolumeId ?? request.volumeId),
    ...(output.State === 'completed' && { completed: true }),
  };
}

/** One CreateSnapshots call per instance: a crash-consistent set, the same tags on each snapshot. */
async function createSnapshots(
  ec2: EC2Client,
  request: CreateSnapshotsRequest,
): Promise<readonly CreatedSnapshot[]> {
  const output = await callAws('CreateSnapshots', () =>
    ec2.send(
      new CreateSnapshotsCommand({
        InstanceSpecification: {
          InstanceId: request.instanceId,
          ExcludeBootVolume: request.excludeBootVolume,
          ...(request.excludeDataVolumeIds.length > 0 && {
            ExcludeDataVolumeIds: [...request.excludeDataVolumeIds],
          }),
        },
        Description: request.description,
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: recordToTags(request.tags) }],
        ...(request.copyTagsFromSource && { CopyTagsFromSource: 'volume' }),
      }),
    ),
  );
  return (output.Snapshots ?? []).flatMap((s) =>
    s.SnapshotId && s.VolumeId
      ? [
          {
            snapshotId: snapshotId(s.SnapshotId),
            volumeId: volumeId(s.VolumeId),
            ...(s.State === 'completed' && { completed: true }),
          },
        ]
      : [],
  );
}

/** `InvalidSnapshot.NotFound` and `InvalidSnapshot.InUse` come back as {@link AwsCallError} codes; the caller decides. */
async function deleteSnapshot(ec2: EC2Client, id: SnapshotId): Promise<void> {
  await callAws('DeleteSnapshot', () => ec2.send(new DeleteSnapshotCommand({ SnapshotId: id })));
}

/** Paged DescribeSnapshots by the run-id and policy tags; only the account's own snapshots. */
async function findRunSnapshots(
  ec2: EC2Client,
  account: string,
  runId: string,
  policy: string,
): Promise<readonly Snapshot[]> {
  const pages = paginateDescribeSnapshots(
    { client: ec2 },
    {
      OwnerIds: ['self'],
      MaxResults: 1000,
      Filters: [
        { Name: `tag:${TAG.runId}`, Values: [runId] },
        { Name: `tag:${TAG.policy}`, Values: [policy] },
      ],
    },
  );
  const found = await collectPages('DescribeSnapshots', pages, (page) => page.Snapshots ?? [], mapSnapshot);
  return found.filter((s) => s.ownerId === account);
}
