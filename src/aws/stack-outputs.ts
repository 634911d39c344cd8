/**
 * The outputs of a deployed stack, for the commands that operate a deployment (SPEC §11a): its
 * table, its functions. A stack that does not exist is an answer (undefined), not an error.
 */
import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { AwsCallError, callAws } from './errors.js';

/** A deployed stack as the operating commands read it. */
export interface StackDescription {
  readonly outputs: Readonly<Record<string, string>>;
  readonly parameters: Readonly<Record<string, string>>;
  /** When it was last created or updated (epoch ms). */
  readonly deployedAt?: number;
}

/** Output key → value of `stackName`, or undefined when there is no such stack. */
export async function readStackOutputs(
  cloudformation: CloudFormationClient,
  stackName: string,
): Promise<Readonly<Record<string, string>> | undefined> {
  return (await readStackDescription(cloudformation, stackName))?.outputs;
}

/** The outputs, parameters and last deploy of `stackName` (one DescribeStacks), or undefined. */
export async function readStackDescription(
  cloudformation: CloudFormationClient,
  stackName: string,
): Promise<StackDescription | undefined> {
  try {
    const { Stacks } = await callAws('DescribeStacks', () =>
      cloudformation.send(new DescribeStacksCommand({ StackName: stackName })),
    );
    const stack = Stacks?.[0];
    if (stack === undefined) return undefined;
    const deployedAt = (stack.LastUpdatedTime ?? stack.CreationTime)?.getTime();
    return {
      outputs: Object.fromEntries(
        (stack.Outputs ?? []).flatMap((o) =>
          o.OutputKey === undefined || o.OutputValue === undefined ? [] : [[o.OutputKey, o.OutputValue]],
        ),
      ),
      parameters: Object.fromEntries(
        (stack.Parameters ?? []).flatMap((p) =>
          p.ParameterKey === undefined || p.ParameterValue === undefined
            ? []
            : [[p.ParameterKey, p.ParameterValue]],
        ),
      ),
      ...(deployedAt === undefined ? {} : { deployedAt }),
    };
  } catch (error) {
    // CloudFormation says "Stack with id … does not exist" as a ValidationError.
    if (error instanceof AwsCallError && /does not exist/.test(error.message)) return undefined;
    throw error;
  }
}
