/**
 * EC2 Query API XML for the in-process fake, in the shapes moto and AWS answer (element names as
 * the SDK's parser reads them). Plain string building: a million snapshots go through here.
 */
import type { Image, Instance, Snapshot, Tags, Volume } from '../../../src/core/model.js';

export const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** The opening of an EC2 answer to `action`, up to where its content goes. */
export function ec2ResponseHead(action: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NAMESPACE}"><requestId>fake</requestId>`;
}

/** A whole EC2 answer to `action` around `content`. */
export function ec2Response(action: string, content: string): string {
  return `${ec2ResponseHead(action)}${content}</${action}Response>`;
}

/** An EC2 error body, in the shape the SDK's EC2 parser reads (moto and AWS answer the same). */
export function ec2ErrorBody(code: string, message: string, requestId = 'fake'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}

const INSTANCE_STATE_CODES: Readonly<Record<string, number>> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};
const SPECIAL = /[&<>"']/;
/** The model has no creation time for volumes; AWS always sends one. */
const VOLUME_CREATE_TIME = '2020-01-01T00:00:00.000Z';

const DAY_MS = 86_400_000;
let cachedDay = Number.NaN;
let cachedDayPrefix = '';

/**
 * `Date.prototype.toISOString` at a fraction of its cost (it was a third of the time spent writing
 * a page): the date part is cached per day, the time part is written by hand.
 */
export function formatIsoTime(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  const inDay = ms - day * DAY_MS;
  const h = Math.floor(inDay / 3_600_000);
  const m = Math.floor(inDay / 60_000) % 60;
  const sec = Math.floor(inDay / 1000) % 60;
  const milli = Math.floor(inDay % 1000);
  return `${cachedDayPrefix}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${sec < 10 ? '0' : ''}${sec}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

/** Escapes text for element content; most values need nothing, so test before replacing. */
export function escapeXml(text: string): string {
  if (!SPECIAL.test(text)) return text;
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** `<tagSet>` with one `<item>` per tag; `<tagSet/>` when there are none. */
export function writeTagSet(tags: Tags, extra?: Readonly<Record<string, string>>): string {
  let xml = '';
  for (const key in tags)
    xml += `<item><key>${escapeXml(key)}</key><value>${escapeXml(tags[key]!)}</value></item>`;
  if (extra !== undefined) {
    for (const key in extra) {
      if (!(key in tags))
        xml += `<item><key>${escapeXml(key)}</key><value>${escapeXml(extra[key]!)}</value></item>`;
    }
  }
  return xml === '' ? '<tagSet/>' : `<tagSet>${xml}</tagSet>`;
}

/** One `snapshotSet` item. */
export function writeSnapshot(snapshot: Snapshot): string {
  let xml = `<item><snapshotId>${snapshot.id}</snapshotId>`;
  if (snapshot.volumeId !== undefined) xml += `<volumeId>${snapshot.volumeId}</volumeId>`;
  xml +=
    `<status>${snapshot.state}</status><startTime>${formatIsoTime(snapshot.startTime)}</startTime>` +
    `<progress>${snapshot.state === 'completed' ? '100%' : '0%'}</progress><ownerId>${snapshot.ownerId}</ownerId>`;
  if (snapshot.sizeGiB !== undefined) xml += `<volumeSize>${snapshot.sizeGiB}</volumeSize>`;
  if (snapshot.description !== undefined)
    xml += `<description>${escapeXml(snapshot.description)}</description>`;
  if (snapshot.fullSizeBytes !== undefined)
    xml += `<fullSnapshotSizeInBytes>${snapshot.fullSizeBytes}</fullSnapshotSizeInBytes>`;
  if (snapshot.storageTier !== undefined) xml += `<storageTier>${snapshot.storageTier}</storageTier>`;
  return `${xml}<encrypted>false</encrypted>${writeTagSet(snapshot.tags)}</item>`;
}

/** One DescribeLockedSnapshots `snapshotSet` item: a 30-day lock in `lockState`. */
export function writeLockedSnapshot(snapshot: Snapshot, lockState: string): string {
  const created = formatIsoTime(snapshot.startTime);
  const expires = formatIsoTime(snapshot.startTime + 30 * DAY_MS);
  return (
    `<item><ownerId>${snapshot.ownerId}</ownerId><snapshotId>${snapshot.id}</snapshotId><lockState>${lockState}</lockState>` +
    `<lockDuration>30</lockDuration><lockCreatedOn>${created}</lockCreatedOn><lockDurationStartTime>${created}</lockDurationStartTime>` +
    `<lockExpiresOn>${expires}</lockExpiresOn></item>`
  );
}

/** One `snapshotTierStatusSet` item of an archived snapshot (`archivedAt` unknown: no completion time). */
export function writeTierStatus(snapshot: Snapshot): string {
  let xml =
    `<item><snapshotId>${snapshot.id}</snapshotId><ownerId>${snapshot.ownerId}</ownerId><status>${snapshot.state}</status>` +
    `<storageTier>${snapshot.storageTier ?? 'standard'}</storageTier><lastTieringOperationStatus>archival-completed</lastTieringOperationStatus>`;
  if (snapshot.volumeId !== undefined) xml += `<volumeId>${snapshot.volumeId}</volumeId>`;
  if (snapshot.archivedAt !== undefined)
    xml += `<archivalCompleteTime>${formatIsoTime(snapshot.archivedAt)}</archivalCompleteTime>`;
  return `${xml}${writeTagSet(snapshot.tags)}</item>`;
}

/** One `volumeSet` item with its `attachmentSet`. */
export function writeVolume(volume: Volume): string {
  let xml =
    `<item><volumeId>${volume.id}</volumeId><size>${volume.sizeGiB}</size>` +
    `<availabilityZone>${volume.availabilityZone ?? ''}</availabilityZone>` +
    `<status>${volume.state ?? (volume.attachments.length > 0 ? 'in-use' : 'available')}</status>` +
    `<createTime>${VOLUME_CREATE_TIME}</createTime><volumeType>${volume.type}</volumeType>` +
    `<encrypted>${volume.encrypted === true}</encrypted>`;
  if (volume.attachments.length === 0) {
    xml += '<attachmentSet/>';
  } else {
    xml += '<attachmentSet>';
    for (const a of volume.attachments) {
      xml += `<item><volumeId>${volume.id}</volumeId><instanceId>${a.instanceId}</instanceId><device>${escapeXml(a.device)}</device><status>attached</status></item>`;
    }
    xml += '</attachmentSet>';
  }
  return `${xml}${writeTagSet(volume.tags)}</item>`;
}

/**
 * One `reservationSet` item holding one instance, with the block device mappings of the volumes
 * attached to it. Instances of a group carry the `aws:autoscaling:groupName` tag, as in AWS.
 */
export function writeReservation(
  instance: Instance,
  account: string,
  devices: ReadonlyArray<readonly [device: string, volumeId: string]>,
): string {
  let mappings = '';
  for (const [device, volumeId] of devices) {
    mappings += `<item><deviceName>${escapeXml(device)}</deviceName><ebs><volumeId>${volumeId}</volumeId><status>attached</status><deleteOnTermination>false</deleteOnTermination></ebs></item>`;
  }
  let xml =
    `<item><reservationId>r-${instance.id.slice(2)}</reservationId><ownerId>${account}</ownerId><groupSet/>` +
    `<instancesSet><item><instanceId>${instance.id}</instanceId><imageId>ami-00000000</imageId>` +
    `<instanceState><code>${INSTANCE_STATE_CODES[instance.state] ?? 16}</code><name>${instance.state}</name></instanceState>` +
    `<instanceType>${instance.instanceType ?? 't3.micro'}</instanceType>` +
    `<placement><availabilityZone>${instance.availabilityZone ?? ''}</availabilityZone><tenancy>default</tenancy></placement>`;
  if (instance.rootDeviceName !== undefined) {
    xml += `<rootDeviceName>${escapeXml(instance.rootDeviceName)}</rootDeviceName><rootDeviceType>ebs</rootDeviceType>`;
  }
  xml += mappings === '' ? '<blockDeviceMapping/>' : `<blockDeviceMapping>${mappings}</blockDeviceMapping>`;
  const groupTag = instance.asg === undefined ? undefined : { 'aws:autoscaling:groupName': instance.asg };
  return `${xml}${writeTagSet(instance.tags, groupTag)}</item></instancesSet></item>`;
}

/** One `imagesSet` item; each snapshot becomes a block device mapping. */
export function writeImage(image: Image, account: string): string {
  let mappings = '';
  image.snapshotIds.forEach((snapshotId, i) => {
    mappings += `<item><deviceName>/dev/sd${String.fromCharCode(97 + (i % 26))}</deviceName><ebs><snapshotId>${snapshotId}</snapshotId><deleteOnTermination>true</deleteOnTermination></ebs></item>`;
  });
  return (
    `<item><imageId>${image.id}</imageId><imageState>available</imageState><imageOwnerId>${account}</imageOwnerId>` +
    `<name>${image.id}</name><isPublic>false</isPublic><imageType>machine</imageType>` +
    `${mappings === '' ? '<blockDeviceMapping/>' : `<blockDeviceMapping>${mappings}</blockDeviceMapping>`}<tagSet/></item>`
  );
}

/** One `regionInfo` item. */
export function writeRegion(region: string): string {
  return `<item><regionName>${region}</regionName><regionEndpoint>ec2.${region}.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>`;
}
