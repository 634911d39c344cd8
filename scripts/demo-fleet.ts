/**
 * A small demo fleet, created through the real SDK in a (local) AWS: web servers, a database
 * with two data volumes, an Auto Scaling group's instance and a detached volume. Used by
 * `npm run demo` and the end-to-end tests.
 */
import { CreateVolumeCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { recordToTags } from '../src/aws/ec2-mappers.js';
import { launchInstances } from './seed-ec2.js';

export interface DemoFleet {
  readonly web: readonly string[];
  readonly db: string;
  readonly detachedVolume: string;
}

async function runInstance(
  ec2: EC2Client,
  name: string,
  tags: Record<string, string>,
  dataDevices: string[],
) {
  const [launched] = await launchInstances(ec2, {
    count: 1,
    name,
    tags,
    devices: ['/dev/sda1', ...dataDevices],
  });
  return launched!.instanceId;
}

/** Create the demo fleet in one region. */
export async function seedDemoFleet(ec2: EC2Client): Promise<DemoFleet> {
  const web: string[] = [];
  for (const name of ['web-1', 'web-2', 'web-3'])
    web.push(await runInstance(ec2, name, { Role: 'web', Team: 'shop' }, []));
  const db = await runInstance(ec2, 'db-1', { Role: 'db', Team: 'data' }, ['/dev/sdf', '/dev/sdg']);
  const volume = await ec2.send(
    new CreateVolumeCommand({
      AvailabilityZone: 'us-east-1a',
      Size: 20,
      VolumeType: 'gp3',
      TagSpecifications: [
        { ResourceType: 'volume', Tags: recordToTags({ Name: 'archive', Backup: 'true' }) },
      ],
    }),
  );
  return { web, db, detachedVolume: volume.VolumeId! };
}

/** The demo's policy file. */
export const DEMO_POLICY = `version: 1
settings:
  regions: [us-east-1]
  guard:
    max_deletes: 50
policies:
  - id: web-daily
    select:
      instances:
        tag:Role: web
    schedule:
      every: 1 day
    retention:
      max_age: 7 days
      minimum: 3
    snapshot:
      tags: {Backup: daily}
  - id: db-nightly
    select:
      instance_names: [db-*]
    schedule:
      cron: "0 3 * * *"
      timezone: Europe/Berlin
    retention:
      max_age: 14 days
      minimum: 5
      keep_weekly: 4
    snapshot:
      consistency: instance
  - id: archive-weekly
    select:
      volumes:
        tag:Backup: "true"
    schedule:
      every: 1 week
    retention:
      minimum: 4
    copy_to:
      - region: us-west-2
        retention: {minimum: 2}
`;
