/**
 * A deterministic, realistic fleet for benchmarks: instances with Name/Role/Env tags (some in
 * Auto Scaling groups, a few stopped or terminated), three volumes per instance plus detached
 * ones, and snapshots made by three policies over their retention windows (so a plan has
 * creates, skips, keeps and deletes), plus hand-made, other-account, error, pending and
 * AMI-backed snapshots. The same options always give the same fleet.
 */
import {
  type Image,
  type Instance,
  type Inventory,
  imageId,
  instanceId,
  type Snapshot,
  snapshotId,
  type Volume,
  volumeId,
} from '../src/core/model.js';
import type { Policy } from '../src/core/policy/types.js';
import { policy } from '../test/support/builders/policy.js';
import { mulberry32 } from '../test/support/random.js';

export interface FleetOptions {
  readonly instances: number;
  readonly volumes: number;
  readonly snapshots: number;
  /** Epoch ms the fleet is "as of" (the newest snapshots are just before it). */
  readonly now: number;
  readonly seed?: number;
  readonly account?: string;
  readonly region?: string;
}

export interface GeneratedFleet {
  readonly inventory: Inventory;
  readonly policies: readonly Policy[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ROLES = ['web', 'app', 'db', 'cache', 'batch'] as const;

/**
 * The three benchmark policies: a daily cron in Europe/Berlin with calendar tiers over every
 * prod and staging instance, an hourly one for databases, a weekly volume-targeted one.
 */
export function benchPolicies(): Policy[] {
  return [
    policy({
      id: 'daily',
      select: {
        instances: { 'tag:Env': ['prod', 'stag*'] },
        exclude: { tags: { 'ebs-snapper:exclude': 'true' } },
      },
      cron: '0 3 * * *',
      timezone: 'Europe/Berlin',
      retention: { maxAge: '14d', minimum: 7, keepWeekly: 4, keepMonthly: 3 },
      snapshot: { copyTags: 'instance+volume', tags: { Backup: '{policy}-{date}' } },
    }),
    policy({
      id: 'hourly',
      select: { instances: { 'tag:Role': ['db', 'cache'] } },
      every: '1h',
      retention: { maxAge: '1d', minimum: 6 },
      snapshot: { copyTags: 'volume' },
    }),
    policy({
      id: 'weekly',
      select: { volumes: { 'tag:Backup': 'true' } },
      every: '1w',
      retention: { maxAge: '30d', minimum: 2, keepMonthly: 6 },
    }),
  ];
}

/** Generate a fleet; see the module comment for what is in it. */
export function generateFleet(options: FleetOptions): GeneratedFleet {
  const random = mulberry32(options.seed ?? 42);
  const account = options.account ?? '111122223333';
  const region = options.region ?? 'eu-west-1';
  const instances = makeInstances(options.instances, random);
  const volumes = makeVolumes(options.volumes, instances, random);
  const snapshots = makeSnapshots(options, volumes, account, random);
  const images = makeImages(snapshots, random);
  return { inventory: { account, region, instances, volumes, snapshots, images }, policies: benchPolicies() };
}

function makeInstances(count: number, random: () => number): Instance[] {
  const out: Instance[] = [];
  for (let n = 0; n < count; n++) {
    const role = ROLES[n % ROLES.length]!;
    const r = random();
    const asg = role === 'web' || role === 'app' ? `${role}-asg-${n % 7}` : undefined;
    out.push({
      id: instanceId(`i-${hex(n, 17)}`),
      state: r < 0.9 ? 'running' : r < 0.98 ? 'stopped' : 'terminated',
      tags: {
        Name: `${role}-${n}`,
        Role: role,
        Env: random() < 0.7 ? 'prod' : random() < 0.5 ? 'staging' : 'dev',
        Team: `team-${n % 13}`,
        ...(asg ? { 'aws:autoscaling:groupName': asg } : {}),
      },
      rootDeviceName: '/dev/xvda',
      instanceType: r < 0.5 ? 'm6i.large' : 't3.medium',
      availabilityZone: `eu-west-1${'abc'[n % 3]}`,
      ...(asg ? { asg } : {}),
    });
  }
  return out;
}

const DEVICES = ['/dev/xvda', '/dev/xvdf', '/dev/xvdg', '/dev/xvdh'];

function makeVolumes(count: number, instances: readonly Instance[], random: () => number): Volume[] {
  const out: Volume[] = [];
  const perInstance = instances.length > 0 ? Math.max(1, Math.floor((count * 0.97) / instances.length)) : 0;
  for (let n = 0; n < count; n++) {
    const owner = Math.floor(n / perInstance);
    const instance = perInstance > 0 && owner < instances.length ? instances[owner] : undefined;
    const device = DEVICES[(n % perInstance) % DEVICES.length]!;
    out.push({
      id: volumeId(`vol-${hex(n, 17)}`),
      tags: { Name: `data-${n}`, Backup: random() < 0.6 ? 'true' : 'false', CostCenter: `cc-${n % 29}` },
      type: random() < 0.8 ? 'gp3' : 'io2',
      sizeGiB: 8 + (n % 50) * 10,
      availabilityZone: instance?.availabilityZone ?? 'eu-west-1a',
      state: instance ? 'in-use' : 'available',
      encrypted: random() < 0.7,
      attachments: instance ? [{ instanceId: instance.id, device }] : [],
    });
  }
  return out;
}

/** How each policy's snapshots are spaced in the generated history. */
const CADENCE: Readonly<Record<string, number>> = { daily: DAY, hourly: HOUR, weekly: 7 * DAY };
const SHARE: readonly (readonly [string, number])[] = [
  ['daily', 0.5],
  ['hourly', 0.3],
  ['weekly', 0.2],
];

/**
 * Snapshots listed newest first across the whole account, as DescribeSnapshots pages them out,
 * and allocated in that order (as parsing a response would), so a series' snapshots are
 * scattered through the list and through memory rather than conveniently side by side.
 */
function makeSnapshots(
  options: FleetOptions,
  volumes: readonly Volume[],
  account: string,
  random: () => number,
) {
  const total = options.snapshots;
  const volumeOf = new Int32Array(total);
  const policyOf = new Uint8Array(total);
  const startOf = new Float64Array(total);
  let at = 0;
  const perVolume = Math.floor(total / Math.max(1, volumes.length));
  let extra = total - perVolume * volumes.length;
  for (let v = 0; v < volumes.length; v++) {
    const count = perVolume + (extra-- > 0 ? 1 : 0);
    let made = 0;
    for (let p = 0; p < SHARE.length; p++) {
      const [policyId, share] = SHARE[p]!;
      const n = p === SHARE.length - 1 ? count - made : Math.round(count * share);
      const step = CADENCE[policyId]!;
      // The newest is within about one cadence before now, so some series are due and some not.
      const newest = options.now - Math.floor(random() * step * 1.2);
      for (let k = 0; k < n; k++, at++) {
        volumeOf[at] = v;
        policyOf[at] = p;
        startOf[at] = newest - k * step - Math.floor(random() * 60_000);
      }
      made += n;
    }
  }
  const order = Array.from({ length: at }, (_, n) => n).sort((a, b) => startOf[b]! - startOf[a]! || a - b);
  const out: Snapshot[] = new Array(order.length);
  for (let n = 0; n < order.length; n++) {
    const k = order[n]!;
    const volume = volumes[volumeOf[k]!]!;
    const policyId = SHARE[policyOf[k]!]![0];
    out[n] = makeSnapshot(
      n,
      volume,
      volume.attachments[0]?.instanceId,
      policyId,
      startOf[k]!,
      account,
      random,
    );
  }
  return out;
}

function makeSnapshot(
  index: number,
  volume: Volume,
  instance: string | undefined,
  policyId: string,
  startTime: number,
  account: string,
  random: () => number,
): Snapshot {
  const r = random();
  const id = snapshotId(`snap-${hex(index, 17)}`);
  const sizeGiB = volume.sizeGiB;
  let ownerId = account;
  let tags: Snapshot['tags'];
  let state: Snapshot['state'] = 'completed';
  if (r < 0.02) tags = { Name: `manual-${index}` };
  else if (r < 0.025) {
    ownerId = '999988887777';
    tags = { Name: 'shared' };
  } else {
    state = r < 0.03 ? 'error' : r < 0.035 ? 'pending' : 'completed';
    tags = toolTags(policyId, volume.id, instance, startTime);
  }
  // One literal shape for every snapshot, as a collector would build them.
  return { id, volumeId: volume.id, ownerId, state, startTime, tags, sizeGiB };
}

/** The tags the tool puts on its snapshots; literal keys so every such object shares a shape. */
function toolTags(policyId: string, volume: string, instance: string | undefined, startTime: number) {
  const runId = `run-${isoOf(startTime - (startTime % HOUR))}`;
  const expiresAt = isoOf(startTime + 14 * DAY);
  return instance === undefined
    ? {
        'ebs-snapper:policy': policyId,
        'ebs-snapper:volume-id': volume,
        'ebs-snapper:run-id': runId,
        'ebs-snapper:expires-at': expiresAt,
      }
    : {
        'ebs-snapper:policy': policyId,
        'ebs-snapper:volume-id': volume,
        'ebs-snapper:run-id': runId,
        'ebs-snapper:expires-at': expiresAt,
        'ebs-snapper:instance-id': instance,
      };
}

const isoOf = (time: number): string => new Date(time).toISOString();

function makeImages(snapshots: readonly Snapshot[], random: () => number): Image[] {
  const images: Image[] = [];
  const count = Math.min(50, Math.floor(snapshots.length / 1000));
  for (let n = 0; n < count; n++) {
    const a = snapshots[Math.floor(random() * snapshots.length)]!;
    const b = snapshots[Math.floor(random() * snapshots.length)]!;
    images.push({ id: imageId(`ami-${hex(n, 17)}`), snapshotIds: [a.id, b.id] });
  }
  return images;
}

/** Hex id digits derived from a counter (scrambled so ids do not sort like creation order). */
export function hex(n: number, width: number): string {
  const scrambled = (Math.imul(n + 1, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
  return (scrambled + n.toString(16).padStart(width - 8, '0')).slice(0, width);
}
