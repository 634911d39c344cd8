/**
 * The paged Describe calls of the fake EC2: which resources each selects (ids, owners, filters)
 * and how a page of them is written, one page at a time.
 */
import type { Image, Instance, Inventory, Snapshot, Volume } from '../../../src/core/model.js';
import {
  compileFilter,
  FakeEc2Error,
  lockStateOf,
  type ResourceKind,
  type Resources,
  readList,
} from './fake-ec2-filters.js';
import {
  ec2ResponseHead,
  writeImage,
  writeLockedSnapshot,
  writeReservation,
  writeSnapshot,
  writeTierStatus,
  writeVolume,
} from './fake-ec2-xml.js';

/** How one paged Describe action reads and writes its resources. */
export interface Listing<K extends ResourceKind> {
  readonly kind: K;
  readonly list: string;
  readonly minPage: number;
  readonly maxPage: number;
  readonly idParam: string;
  readonly resources: (region: RegionState) => readonly Resources[K][];
  readonly owned: (region: RegionState, params: URLSearchParams) => (resource: Resources[K]) => boolean;
  readonly write: (resource: Resources[K], region: RegionState) => string;
}

export interface RegionState {
  readonly inventory: Inventory;
  /** Instance id → [device, volume id] of its attached volumes, built on first DescribeInstances. */
  devices?: Map<string, Array<readonly [string, string]>>;
  /**
   * Recent filtered selections by request (without its paging): every page of a paginated
   * listing, and of the listings running side by side, reuses its own.
   */
  readonly selections: Map<string, readonly unknown[]>;
}

/** Selections kept per region: every listing of a collection, its 16 chains and their parents. */
const MAX_SELECTIONS = 128;

const everything = () => () => true;

/** `Owner.N` (OwnerIds / Owners) with `self` replaced by the account; undefined when not given. */
function readOwners(region: RegionState, params: URLSearchParams): string[] | undefined {
  const owners = readList(params, 'Owner').map((o) => (o === 'self' ? region.inventory.account : o));
  return owners.length === 0 ? undefined : owners;
}

export const LISTINGS: Readonly<Record<string, Listing<ResourceKind>>> = {
  DescribeSnapshots: listing<'snapshot'>({
    kind: 'snapshot',
    list: 'snapshotSet',
    minPage: 5,
    maxPage: 1000,
    idParam: 'SnapshotId',
    resources: (region) => region.inventory.snapshots,
    owned: (region, params) => {
      const owners = readOwners(region, params);
      return owners === undefined ? () => true : (snapshot: Snapshot) => owners.includes(snapshot.ownerId);
    },
    write: (snapshot: Snapshot) => writeSnapshot(snapshot),
  }),
  DescribeVolumes: listing<'volume'>({
    kind: 'volume',
    list: 'volumeSet',
    minPage: 5,
    maxPage: 500,
    idParam: 'VolumeId',
    resources: (region) => region.inventory.volumes,
    owned: everything,
    write: (volume: Volume) => writeVolume(volume),
  }),
  DescribeInstances: listing<'instance'>({
    kind: 'instance',
    list: 'reservationSet',
    minPage: 5,
    maxPage: 1000,
    idParam: 'InstanceId',
    resources: (region) => region.inventory.instances,
    owned: everything,
    write: (instance: Instance, region) =>
      writeReservation(instance, region.inventory.account, indexDevices(region).get(instance.id) ?? []),
  }),
  DescribeImages: listing<'image'>({
    kind: 'image',
    list: 'imagesSet',
    minPage: 1,
    maxPage: 1000,
    idParam: 'ImageId',
    resources: (region) => region.inventory.images,
    // The model's images are the account's own.
    owned: (region, params) => {
      const owners = readOwners(region, params);
      const isOwn = owners === undefined || owners.includes(region.inventory.account);
      return () => isOwn;
    },
    write: (image: Image, region) => writeImage(image, region.inventory.account),
  }),
  DescribeLockedSnapshots: listing<'lock'>({
    kind: 'lock',
    list: 'snapshotSet',
    minPage: 5,
    maxPage: 1000,
    idParam: 'SnapshotId',
    resources: (region) => region.inventory.snapshots.filter((s) => s.locked !== undefined),
    owned: (region) => (snapshot: Snapshot) => snapshot.ownerId === region.inventory.account,
    write: (snapshot: Snapshot) => writeLockedSnapshot(snapshot, lockStateOf(snapshot)),
  }),
  DescribeSnapshotTierStatus: listing<'tier'>({
    kind: 'tier',
    list: 'snapshotTierStatusSet',
    minPage: 5,
    maxPage: 1000,
    idParam: 'SnapshotId',
    resources: (region) => region.inventory.snapshots.filter((s) => s.storageTier === 'archive'),
    owned: (region) => (snapshot: Snapshot) => snapshot.ownerId === region.inventory.account,
    write: (snapshot: Snapshot) => writeTierStatus(snapshot),
  }),
};

function listing<K extends ResourceKind>(spec: Listing<K>): Listing<ResourceKind> {
  return spec as unknown as Listing<ResourceKind>;
}

export function writeListingPage(
  action: string,
  spec: Listing<ResourceKind>,
  region: RegionState,
  params: URLSearchParams,
): Buffer {
  const items = selectResources(spec, region, params);
  const offset = readOffset(params.get('NextToken'));
  const limit = readPageSize(params.get('MaxResults'), spec);
  const end = Math.min(items.length, offset + limit);
  const out = new ByteWriter();
  out.write(ec2ResponseHead(action));
  if (offset >= end) {
    out.write(`<${spec.list}/>`);
  } else {
    out.write(`<${spec.list}>`);
    for (let i = offset; i < end; i++) out.write(spec.write(items[i]!, region));
    out.write(`</${spec.list}>`);
  }
  if (end < items.length)
    out.write(`<nextToken>${Buffer.from(String(end)).toString('base64url')}</nextToken>`);
  out.write(`</${action}Response>`);
  return out.toBuffer();
}

/**
 * Writes strings into one growing buffer. Concatenating a page into one string and encoding it
 * cost five times as much: V8 must flatten thousands of small string ropes first.
 */
class ByteWriter {
  private buffer = Buffer.allocUnsafe(256 * 1024);
  private length = 0;

  write(text: string): void {
    const worst = this.length + text.length * 3;
    if (worst > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(worst, this.buffer.length * 2));
      this.buffer.copy(bigger, 0, 0, this.length);
      this.buffer = bigger;
    }
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  toBuffer(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

/**
 * The resources a request selects, whatever page it asks for. A request with filters narrows the
 * selection of the same request without its last filter (cached too), so the 16 chains of a cut
 * listing each scan their listing's selection, not the whole region. The request's `Action` is
 * part of every key.
 */
function selectResources(spec: Listing<ResourceKind>, region: RegionState, params: URLSearchParams) {
  const unpaged = new URLSearchParams(params);
  unpaged.delete('MaxResults');
  unpaged.delete('NextToken');
  return select(spec, region, unpaged);
}

function select(
  spec: Listing<ResourceKind>,
  region: RegionState,
  request: URLSearchParams,
): readonly Resources[ResourceKind][] {
  const key = request.toString();
  const cached = region.selections.get(key);
  if (cached !== undefined) return cached as readonly Resources[ResourceKind][];
  let last = 0;
  while (request.has(`Filter.${last + 1}.Name`)) last++;
  let items: Resources[ResourceKind][];
  if (last === 0) {
    const ids = new Set(readList(request, spec.idParam));
    const owned = spec.owned(region, request);
    items = spec.resources(region).filter((r) => (ids.size === 0 || ids.has(r.id)) && owned(r));
  } else {
    const test = compileFilter(spec.kind, request, last);
    items = select(spec, region, withoutFilter(request, last)).filter(test);
  }
  if (region.selections.size >= MAX_SELECTIONS) {
    region.selections.delete(region.selections.keys().next().value!);
  }
  region.selections.set(key, items);
  return items;
}

function withoutFilter(request: URLSearchParams, n: number): URLSearchParams {
  const rest = new URLSearchParams();
  for (const [name, value] of request) {
    if (!name.startsWith(`Filter.${n}.`)) rest.append(name, value);
  }
  return rest;
}

function indexDevices(region: RegionState): Map<string, Array<readonly [string, string]>> {
  if (region.devices !== undefined) return region.devices;
  const devices = new Map<string, Array<readonly [string, string]>>();
  for (const volume of region.inventory.volumes) {
    for (const { instanceId, device } of volume.attachments) {
      const list = devices.get(instanceId) ?? [];
      list.push([device, volume.id]);
      devices.set(instanceId, list);
    }
  }
  region.devices = devices;
  return devices;
}

function readOffset(token: string | null): number {
  if (token === null || token === '') return 0;
  const offset = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) {
    throw new FakeEc2Error('InvalidPaginationToken', `The pagination token ${token} is invalid.`);
  }
  return offset;
}

function readPageSize(value: string | null, spec: Listing<ResourceKind>): number {
  if (value === null) return Number.POSITIVE_INFINITY;
  const size = Number(value);
  if (!Number.isInteger(size) || size < spec.minPage || size > spec.maxPage) {
    throw new FakeEc2Error(
      'InvalidParameterValue',
      `MaxResults ${value} is not between ${spec.minPage} and ${spec.maxPage}.`,
    );
  }
  return size;
}

/** A region's state for an inventory. */
export function createRegionState(inventory: Inventory): RegionState {
  return { inventory, selections: new Map() };
}
