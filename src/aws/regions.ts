/**
 * The regions an account can use.
 */
import { DescribeRegionsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { callAws } from './errors.js';

/**
 * The account's enabled regions, sorted: DescribeRegions (`AllRegions: false`) lists the regions
 * enabled by default and the opt-in regions the account opted into; any region still marked
 * `not-opted-in` is left out as well.
 *
 * @example
 * const regions = await listEnabledRegions(clients.ec2); // ['ap-northeast-1', ..., 'us-west-2']
 */
export async function listEnabledRegions(ec2: EC2Client): Promise<string[]> {
  const output = await callAws('DescribeRegions', () =>
    ec2.send(new DescribeRegionsCommand({ AllRegions: false })),
  );
  return (output.Regions ?? [])
    .filter((r) => r.OptInStatus !== 'not-opted-in')
    .flatMap((r) => (r.RegionName ? [r.RegionName] : []))
    .sort();
}
