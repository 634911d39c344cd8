/**
 * The outputs of a deployed stack, for the commands that operate a deployment (SPEC §11a): its
 * table, its functions. A stack that does not exist is an answer (undefined), not an error.
 */
import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { AwsCallError, callAws } from './errors.js';

/** Output key → value of `stackName`, or undefined when there is no such stack. */
export async function readStackOutputs(
  cloudformation: CloudFormationClient,
  stackName: string,
): Promise<Readonly<Record<string, string>> | undefined> {
  try {
    const { Stacks } = await callAws('DescribeStacks', () =>
      cloudformation.send(new DescribeStacksCommand({ StackName: stackName })),
    );
    const stack = Stacks?.[0];
    if (stack === undefined) return undefined;
    return Object.fromEntries(
      (stack.Outputs ?? []).flatMap((o) =>
        o.OutputKey === undefined || o.OutputValue === undefined ? [] : [[o.OutputKey, o.OutputValue]],
      ),
    );
  } catch (error) {
    // CloudFormation says "Stack with id … does not exist" as a ValidationError.
    if (error instanceof AwsCallError && /does not exist/.test(error.message)) return undefined;
    throw error;
  }
}
