/**
 * Finding the deployment (SPEC §11a): the hub stack named by `--stack` (default `ebs-snapper`) in
 * `--stack-region` (default the profile's region), and the table its outputs name — or a table given
 * directly with `--config-table` / `--table`, by name or ARN. The table's region comes from its ARN,
 * the stack's region, or the default chain; never from `--region`, which only limits targets.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { sdkClientConfig } from '../aws/clients.js';
import { readStackDescription } from '../aws/stack-outputs.js';
import { UsageError } from '../core/errors.js';
import { checkRegions } from './options.js';

/** The hub stack's name when `--stack` is not given. */
const DEFAULT_STACK = 'ebs-snapper';

/** How to reach the deployment: the stack and where it is, the usual AWS options. */
export interface DeploymentOptions {
  readonly stack?: string;
  readonly stackRegion?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
}

/** A table to use: its name, its region when known (else the default chain's), and how it was found. */
export interface TableRef {
  readonly name: string;
  readonly region?: string;
  /** For messages: `table T (from --config-table)`, `table T of stack S in R`. */
  readonly found: string;
}

/** The hub stack's outputs and parameters, with its name and region. */
export interface Deployment {
  readonly stack: string;
  readonly region: string | undefined;
  readonly outputs: Readonly<Record<string, string>>;
  readonly parameters: Readonly<Record<string, string>>;
  /** When the stack was last created or updated (epoch ms). */
  readonly deployedAt?: number;
}

const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table\/([A-Za-z0-9_.-]{3,255})$/;

/**
 * A table given by name or ARN (`arn:aws:dynamodb:eu-west-1:111111111111:table/ebs-snapper-Table-X`).
 *
 * @example tableFromOption('arn:aws:dynamodb:eu-west-1:111111111111:table/t', '--config-table', {}) // { name: 't', region: 'eu-west-1', ... }
 */
function tableFromOption(text: string, option: string, options: DeploymentOptions): TableRef {
  const arn = TABLE_ARN.exec(text);
  if (arn !== null)
    return { name: arn[3]!, region: arn[1]!, found: `table ${arn[3]} (${option}, ${arn[1]})` };
  if (text.startsWith('arn:')) throw new UsageError(`${option}: "${text}" is not a DynamoDB table ARN`);
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(text)) throw new UsageError(`${option}: "${text}" is not a table name`);
  return {
    name: text,
    ...(options.stackRegion === undefined ? {} : { region: options.stackRegion }),
    found: `table ${text} (${option})`,
  };
}

/** Read the hub stack; a missing stack is a `UsageError` that says how to name the right one. */
export async function findDeployment(options: DeploymentOptions): Promise<Deployment> {
  checkRegions(options.stackRegion, '--stack-region');
  const stack = options.stack ?? DEFAULT_STACK;
  const cloudformation = new CloudFormationClient(
    sdkClientConfig({
      ...(options.stackRegion === undefined ? {} : { region: options.stackRegion }),
      ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
      ...(options.profile === undefined ? {} : { profile: options.profile }),
    }),
  );
  const region = options.stackRegion ?? (await cloudformation.config.region().catch(() => undefined));
  const described = await readStackDescription(cloudformation, stack);
  if (described === undefined) {
    throw new UsageError(
      `the hub stack "${stack}" was not found in ${region ?? 'the default region'}: deploy it with ` +
        '`ebs-snapper deploy`, name it with --stack NAME --stack-region REGION, or give the table with --config-table',
    );
  }
  return { stack, region, ...described };
}

/** The deployment's table: `table` (name or ARN) when given, else the one the hub stack's outputs name. */
export async function resolveTable(
  table: { readonly text: string; readonly option: string } | undefined,
  options: DeploymentOptions,
): Promise<TableRef> {
  if (table !== undefined) return tableFromOption(table.text, table.option, options);
  return tableOfDeployment(await findDeployment(options));
}

/** The table the hub stack's outputs name. */
export function tableOfDeployment({ stack, region, outputs }: Deployment): TableRef {
  const name = outputs.TableName;
  if (name === undefined)
    throw new UsageError(`the stack "${stack}" has no TableName output: is it an ebs-snapper hub?`);
  return {
    name,
    ...(region === undefined ? {} : { region }),
    found: `table ${name} of stack ${stack} in ${region ?? 'the default region'}`,
  };
}
