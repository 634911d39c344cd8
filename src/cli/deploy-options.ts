/**
 * The options of `deploy` and `deploy member`, and the checks that refuse bad ones before any
 * AWS call (exit 1 with the option's name).
 */
import { type Command, Option } from 'commander';
import type { AwsTarget } from '../aws/clients.js';
import { UsageError } from '../core/errors.js';
import { schedulerExpressionProblem } from '../core/policy/scheduler-expression.js';
import { DEFAULT_MEMBER_ROLE_NAME, DEFAULT_STACK_NAME, stackNameProblem } from '../templates/names.js';
import type { CliIo } from './io.js';
import { collect, OUTPUTS, type Output, parseHttpTimeouts } from './options.js';

/** Options both deploy commands take. */
export interface DeployCommonOptions {
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  readonly dryRun?: boolean;
  readonly output: Output;
  readonly verbose?: boolean;
}

export interface DeployOptions extends DeployCommonOptions {
  readonly stackName: string;
  readonly config?: string;
  readonly configName?: string;
  readonly schedule?: string;
  readonly memberRoleName?: string;
  readonly bundle?: string;
}

export interface DeployMemberOptions extends DeployCommonOptions {
  readonly hubAccount: string;
  readonly hubStackName: string;
  readonly roleArn?: readonly string[];
  readonly roleName: string;
  readonly templateOut?: string;
  /** The vault role of a vault account (SPEC §14) instead of a member role. */
  readonly vault?: boolean;
}

/** `--region`, `--profile`, `--endpoint-url`, `--dry-run`, `--output`, `-v`. */
function addDeployCommonOptions(command: Command): Command {
  return command
    .option('--region <region>', 'region of the stack (default: AWS_REGION or the profile)')
    .option('--profile <profile>', 'AWS profile from the shared config files')
    .option('--endpoint-url <url>', 'AWS endpoint override (e.g. a local emulator)')
    .option('--dry-run', 'show what would change (a change set, deleted again); change nothing')
    .addOption(new Option('--output <format>', 'output format').choices(OUTPUTS).default('text'))
    .option('-v, --verbose', 'more detail on errors');
}

export function addDeployOptions(command: Command): Command {
  return addDeployCommonOptions(
    command
      .option('--stack-name <name>', 'the hub stack', DEFAULT_STACK_NAME)
      .option('-c, --config <file>', 'validate this policy file and push it to the stack table')
      .option('--config-name <name>', 'name of the config in the table (default: the stack, else "default")')
      .option(
        '--schedule <expression>',
        'rate(...), cron(...) or at(...), as EventBridge Scheduler takes them (default: settings.schedule, the stack, rate(1 hour))',
      )
      .option(
        '--member-role-name <name>',
        `role assumed in other accounts (default: the stack, else ${DEFAULT_MEMBER_ROLE_NAME}; "" for none)`,
      )
      .option('--bundle <file>', 'Lambda bundle to deploy (default: dist/lambda/index.js of this package)'),
  );
}

/** `deploy member`'s own options; it shares `deploy`'s common ones (`optsWithGlobals`). */
export function addDeployMemberOptions(command: Command): Command {
  return command
    .requiredOption('--hub-account <id>', 'the account of the hub stack (12 digits)')
    .option('--hub-stack-name <name>', 'the hub stack, whose function roles are trusted', DEFAULT_STACK_NAME)
    .option('--role-arn <arn>', 'assume this role and deploy into its account (repeatable)', collect)
    .option('--role-name <name>', 'the member role', DEFAULT_MEMBER_ROLE_NAME)
    .option('--template-out <file>', 'write the member template (for CloudFormation StackSets)')
    .option(
      '--vault',
      "make the vault account's role instead (copy_to with an account): copy in, list, lock and delete its copies; nothing else",
    );
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** Refuse what `deploy` could only fail on later. */
export function checkDeployOptions(options: DeployOptions): void {
  const stackProblem = stackNameProblem(options.stackName);
  if (stackProblem !== undefined)
    throw new UsageError(`--stack-name: "${options.stackName}" ${stackProblem}`);
  if (options.schedule !== undefined) {
    const problem = schedulerExpressionProblem(options.schedule);
    if (problem !== undefined)
      throw new UsageError(`--schedule: "${options.schedule}" is not a schedule: ${problem}`);
  }
  const role = options.memberRoleName;
  if (role !== undefined && role !== '' && !ROLE_NAME.test(role))
    throw new UsageError(`--member-role-name: "${role}" is not an IAM role name`);
  if (options.configName !== undefined && options.configName.trim() === '')
    throw new UsageError('--config-name: must not be empty');
}

export function checkDeployMemberOptions(options: DeployMemberOptions): void {
  if (!/^\d{12}$/.test(options.hubAccount))
    throw new UsageError(`--hub-account: "${options.hubAccount}" is not a 12-digit account id`);
  const stackProblem = stackNameProblem(options.hubStackName);
  if (stackProblem !== undefined)
    throw new UsageError(`--hub-stack-name: "${options.hubStackName}" ${stackProblem}`);
  if (!ROLE_NAME.test(options.roleName))
    throw new UsageError(`--role-name: "${options.roleName}" is not an IAM role name`);
  for (const arn of options.roleArn ?? [])
    if (!ROLE_ARN.test(arn)) throw new UsageError(`--role-arn: "${arn}" is not an IAM role ARN`);
}

/** Where and as whom the deploy commands call AWS. */
export function deployTarget(options: DeployCommonOptions, io: CliIo): AwsTarget {
  const timeouts = parseHttpTimeouts(io.env);
  return {
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
    ...(timeouts === undefined ? {} : { timeouts }),
    ...(io.signal === undefined ? {} : { deadline: { signal: io.signal } }),
  };
}
