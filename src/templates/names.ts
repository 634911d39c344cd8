/**
 * The names a deployment is found by. The hub's functions and their roles are named after the
 * stack, so a member account's role can trust them before the hub exists (StackSets roll out in
 * any order) and `deploy` finds the functions without reading the stack first.
 */

/** `deploy --stack-name` default. */
export const DEFAULT_STACK_NAME = 'ebs-snapper';
/** The role the workers assume in other accounts (`EBS_SNAPPER_MEMBER_ROLE_NAME`). */
export const DEFAULT_MEMBER_ROLE_NAME = 'ebs-snapper-member';

/** The two functions of a hub, each with a role of its own. */
export const HUB_FUNCTIONS = ['worker', 'fanout'] as const;
export type HubFunction = (typeof HUB_FUNCTIONS)[number];

/** Lambda and IAM allow 64 characters; the longest suffix is `-fanout`. */
const MAX_STACK_NAME_LENGTH = 64 - '-fanout'.length;

/** `ebs-snapper-worker`: the function's name and its role's, in the hub account. */
export const hubResourceName = (stackName: string, fn: HubFunction): string => `${stackName}-${fn}`;

/** The same name as a template writes it (`${AWS::StackName}` filled in by CloudFormation). */
export const hubResourceNameSub = (fn: HubFunction): string => `\${AWS::StackName}-${fn}`;

/** Where the code goes: one bucket per account and region (SPEC §11). */
export const artifactsBucketName = (account: string, region: string): string =>
  `ebs-snapper-artifacts-${account}-${region}`;

/** The object key holds the zip's SHA-256 (hex), so an object is never overwritten by other code. */
export const codeKeyOf = (sha256Hex: string): string => `lambda/${sha256Hex}.zip`;

/** The member stack in each member account is named after its role. */
export const memberStackName = (roleName: string): string => roleName;

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]*$/;

/** Why `name` cannot be a hub stack name, or undefined when it can. */
export function stackNameProblem(name: string): string | undefined {
  if (!STACK_NAME.test(name)) return 'starts with a letter and has only letters, digits and hyphens';
  if (name.length > MAX_STACK_NAME_LENGTH)
    return `at most ${MAX_STACK_NAME_LENGTH} characters (the functions and roles are named after it)`;
  return undefined;
}
