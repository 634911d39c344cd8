/**
 * The AWS regions the tool knows, so that a typo (`us-est-1`, `eu-west-4`) is refused before any
 * call with the closest name, instead of failing later as an endpoint that does not resolve (or, in
 * an emulator, as an unreadable answer). The list is the AWS SDK's own partition data; a test keeps
 * it a superset of the SDK this package is built with.
 */
import { suggest } from './describe.js';

/** Every region of every AWS partition (commercial, China, GovCloud, ISO, European Sovereign Cloud). */
export const AWS_REGIONS: readonly string[] = [
  ...['af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3'],
  ...['ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4'],
  ...['ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'ca-central-1', 'ca-west-1', 'eu-central-1'],
  ...['eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3'],
  ...['il-central-1', 'me-central-1', 'me-south-1', 'me-west-1', 'mx-central-1', 'sa-east-1', 'sa-west-1'],
  ...['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'],
  ...['cn-north-1', 'cn-northwest-1', 'us-gov-east-1', 'us-gov-west-1', 'eusc-de-east-1'],
  ...['us-iso-east-1', 'us-iso-west-1', 'us-isob-east-1', 'us-isob-west-1', 'eu-isoe-west-1'],
  ...['us-isof-east-1', 'us-isof-south-1'],
];

const KNOWN = new Set(AWS_REGIONS);

/**
 * Why `name` is not a region, with the closest known one; undefined when it is one.
 *
 * @example regionProblem('us-est-1') // '"us-est-1" is not an AWS region; did you mean "us-east-1"?'
 */
export function regionProblem(name: string): string | undefined {
  if (KNOWN.has(name)) return undefined;
  const closest = closestRegion(name);
  return closest === undefined
    ? `"${name}" is not an AWS region (e.g. "us-east-1")`
    : `"${name}" is not an AWS region; did you mean "${closest}"?`;
}

/** The known region at the smallest edit distance, when it is close enough (3 edits) to be a typo. */
function closestRegion(name: string): string | undefined {
  return suggest(name, AWS_REGIONS, 3);
}
