/**
 * Where an `ssm` drill runs: the host instance (one named, or the running instances with the
 * policy's tags, in the drill's zone when one is set) and a free device name on it. Pure: the
 * inventory says which instances run where and which devices their volumes use.
 */
import type { Instance, InstanceId, Inventory } from '../model.js';
import type { DrillHost } from '../policy/types.js';
import { pickBy } from './pick.js';

/**
 * The running instances that may host a drill, best first (deterministic for `seed`).
 *
 * @example hostCandidates(inventory, { tags: { Role: 'drill-host' } }, 'us-east-1a', runId + snapshotId)
 */
export function hostCandidates(
  inventory: Inventory,
  host: DrillHost,
  zone: string | undefined,
  seed: string,
): Instance[] {
  const matches = inventory.instances.filter(
    (i) =>
      i.state === 'running' &&
      (zone === undefined || i.availabilityZone === zone) &&
      ('instanceId' in host
        ? i.id === host.instanceId
        : Object.entries(host.tags).every(([key, value]) => i.tags[key] === value)),
  );
  return pickBy(matches, (i) => i.id, seed);
}

/**
 * Device names for a drill volume, in the order they are tried: `/dev/sdz` down to `/dev/sdf`
 * (the range EC2 recommends for EBS on Linux), leaving out those the instance's volumes use, in
 * either spelling (`/dev/xvdz` is `/dev/sdz` on Xen instances).
 *
 * @example freeDevices(inventory, instanceId('i-1')) // ['/dev/sdz', '/dev/sdy', ...]
 */
export function freeDevices(
  inventory: Inventory,
  host: InstanceId,
  taken: ReadonlySet<string> = new Set(),
): string[] {
  const used = new Set<string>([...taken].map(letterOf));
  for (const v of inventory.volumes)
    for (const a of v.attachments) if (a.instanceId === host) used.add(letterOf(a.device));
  const free: string[] = [];
  for (let c = 'z'.charCodeAt(0); c >= 'f'.charCodeAt(0); c--) {
    const letter = String.fromCharCode(c);
    if (!used.has(letter)) free.push(`/dev/sd${letter}`);
  }
  return free;
}

/** `/dev/sdz`, `/dev/xvdz`, `xvdz1` → `z`; anything else stands for itself. */
function letterOf(device: string): string {
  const m = /^(?:\/dev\/)?(?:sd|xvd)([a-z])\d*$/.exec(device);
  return m === null ? device : m[1]!;
}
