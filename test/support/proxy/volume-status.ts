/**
 * What restore drills need of EC2 volumes that moto does not do, for the fault proxy:
 *
 * - `DescribeVolumeStatus` (moto: not implemented): each volume asked about is initializing for a
 *   number of looks (DescribeVolumeStatus calls that include it), then completed — as EC2 reports
 *   it, in both forms: the `initialization-state` status detail and `initializationStatusDetails`
 *   (`progress`, 100 when done). Or says nothing of initialization at all (`silent`).
 * - a volume held in `creating` (moto makes a volume from a snapshot `available` at once):
 *   DescribeVolumes answers, forwarded to moto, show the volumes made from the given snapshots as
 *   `creating` for a number of looks, or for ever.
 *
 * Time is counted in looks, not milliseconds, so a test never depends on the machine's speed.
 */
import { ec2Response, escapeXml } from '../fakes/fake-ec2-xml.js';
import type { EmulatedAnswer, Emulation } from './faults.js';
import { joinListItems, splitListItems } from './xml-items.js';

export interface VolumeStatusEmulation {
  /** Looks a volume shows `initializing` before `completed`. Default 0 (done at the first look). */
  readonly initializingLooks?: number;
  /** No initialization details at all, as for a volume EC2 has nothing to say of. */
  readonly silent?: boolean;
}

/** The proxy's DescribeVolumeStatus, and how often it was asked about each volume. */
export interface VolumeStatusEmulator extends Emulation {
  looks(volumeId: string): number;
}

/** @example proxy.configure({ emulations: [createVolumeStatusEmulator({ initializingLooks: 2 })] }) */
export function createVolumeStatusEmulator(options: VolumeStatusEmulation = {}): VolumeStatusEmulator {
  const looks = new Map<string, number>();
  return {
    answers: (service, action) => service === 'ec2' && action === 'DescribeVolumeStatus',
    looks: (id) => looks.get(id) ?? 0,
    answer(request) {
      const ids = [...request.params.entries()]
        .filter(([key]) => /^VolumeId\.\d+$/.test(key))
        .map(([, id]) => id);
      const items = ids.map((id) => {
        const seen = (looks.get(id) ?? 0) + 1;
        looks.set(id, seen);
        return statusItem(id, seen, options);
      });
      return xml(ec2Response('DescribeVolumeStatus', `<volumeStatusSet>${items.join('')}</volumeStatusSet>`));
    },
  };
}

function statusItem(volumeId: string, seen: number, options: VolumeStatusEmulation): string {
  const pending = seen <= (options.initializingLooks ?? 0);
  const details = [
    '<item><name>io-enabled</name><status>passed</status></item>',
    '<item><name>io-performance</name><status>not-applicable</status></item>',
    ...(options.silent === true
      ? []
      : [
          `<item><name>initialization-state</name><status>${pending ? 'initializing' : 'completed'}</status></item>`,
        ]),
  ];
  const progress = pending
    ? Math.min(99, Math.round((100 * (seen - 1)) / (options.initializingLooks ?? 1)))
    : 100;
  const initialization =
    options.silent === true
      ? ''
      : `<initializationStatusDetails><initializationType>default</initializationType><progress>${progress}</progress></initializationStatusDetails>`;
  return (
    `<item><volumeId>${escapeXml(volumeId)}</volumeId>` +
    `<volumeStatus><status>ok</status><details>${details.join('')}</details></volumeStatus>` +
    `<eventsSet/><actionsSet/>${initialization}</item>`
  );
}

export interface CreatingHold {
  /** Volumes made from these snapshots are held; default every volume carrying `ebs-snapper:drill-of`. */
  readonly snapshotIds?: readonly string[];
  /** DescribeVolumes answers that show each held volume `creating`; default for ever. */
  readonly looks?: number;
}

/** @example proxy.configure({ emulations: [holdCreating({ looks: Number.POSITIVE_INFINITY })] }) */
export function holdCreating(hold: CreatingHold = {}): Emulation {
  const looks = new Map<string, number>();
  return {
    answers: (service, action) => service === 'ec2' && action === 'DescribeVolumes',
    async answer(request) {
      const answer = await request.forward();
      if (answer.status !== 200) return answer;
      const split = splitListItems(answer.body.toString('utf8'), 'volumeSet');
      if (split === undefined) return answer;
      const items = split.items.map((item) => {
        if (!isHeld(item, hold)) return item;
        const id = /<volumeId>([^<]+)<\/volumeId>/.exec(item)?.[1] ?? '';
        const seen = (looks.get(id) ?? 0) + 1;
        looks.set(id, seen);
        return seen <= (hold.looks ?? Number.POSITIVE_INFINITY) ? asCreating(item) : item;
      });
      return { ...answer, body: Buffer.from(joinListItems(split, items)) };
    },
  };
}

function isHeld(item: string, hold: CreatingHold): boolean {
  if (!item.includes('<key>ebs-snapper:drill-of</key>')) return false;
  const snapshot = /<snapshotId>([^<]+)<\/snapshotId>/.exec(item)?.[1];
  return hold.snapshotIds === undefined || (snapshot !== undefined && hold.snapshotIds.includes(snapshot));
}

/** The volume's own status (before its attachments, which have statuses of their own) made `creating`. */
function asCreating(item: string): string {
  const cut = item.indexOf('<attachmentSet');
  const head = cut < 0 ? item : item.slice(0, cut);
  return (
    head.replace(/<status>[^<]*<\/status>/, '<status>creating</status>') + (cut < 0 ? '' : item.slice(cut))
  );
}

const xml = (body: string): EmulatedAnswer => ({
  status: 200,
  headers: { 'content-type': 'text/xml;charset=UTF-8' },
  body: Buffer.from(body),
});
