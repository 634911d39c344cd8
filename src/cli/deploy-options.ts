/**
 * The options of `deploy` and `deploy member`, and the checks that refuse bad ones before any
 * AWS call (exit 1 with the option's name).
 */
import { Command, Help, Option } from 'commander';
import { METRICS_MODES, type MetricsMode } from '../app/serverless/metrics.js';
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
  /** `--notify-email` (repeatable): subscribed to the stack's topic. */
  readonly notifyEmail?: readonly string[];
  /** `--metrics`: how the worker publishes its metrics; unset = the stack's, else `target`. */
  readonly metrics?: MetricsMode;
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
  refuseMemberOptions(command);
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
      .option(
        '--bundle <path>',
        "Lambda code to deploy: a directory with fanout.mjs and worker.mjs, or one bundle exporting both handlers (default: this package's dist/lambda)",
      )
      .option(
        '--notify-email <address>',
        "subscribe this address to the stack's topic: failures and alarms (repeatable; AWS sends a confirmation mail)",
        collect,
      )
      .addOption(
        new Option(
          '--metrics <mode>',
          'worker metrics: target (per account × region) or deployment (one series per metric name, far cheaper at scale) (default: the stack, else target)',
        ).choices(METRICS_MODES),
      ),
  );
}

/** `deploy member`'s own options; it shares `deploy`'s common ones (`optsWithGlobals`). */
export function addDeployMemberOptions(command: Command): Command {
  return memberOptions(command)
    .hook('preAction', (member) => refuseHubOptions(member))
    .configureHelp({
      // Its help lists the `deploy` options it takes (--region, --dry-run, ...), not the hub's.
      showGlobalOptions: true,
      visibleGlobalOptions: (member) => {
        const common = commonOptionKeys();
        const all = Object.assign(new Help(), { showGlobalOptions: true }).visibleGlobalOptions(member);
        return all.filter((o) => common.has(o.attributeName()));
      },
    });
}

/** The keys of the options both deploy commands take. */
const commonOptionKeys = (): Set<string> =>
  new Set(addDeployCommonOptions(new Command()).options.map((o) => o.attributeName()));

function memberOptions(command: Command): Command {
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

/** The option of the other command a user may have meant. */
const MEANT: Readonly<Record<string, string>> = {
  '--stack-name': '--hub-stack-name',
  '--member-role-name': '--role-name',
  '--hub-stack-name': '--stack-name',
  '--role-name': '--member-role-name',
};
const meant = (flag: string, command: string): string =>
  MEANT[flag] === undefined ? '' : `; \`${command}\` takes ${MEANT[flag]}`;

/**
 * Commander hands `deploy`'s options to `deploy member` wherever they stand on the line, so a hub
 * option given to `deploy member` would be taken and ignored: every `deploy` option that is not a
 * common one (whatever options `deploy` has, as they are added) is refused there.
 */
function refuseHubOptions(member: Command): void {
  const deploy = member.parent;
  if (deploy === null) return;
  const common = commonOptionKeys();
  for (const option of deploy.options) {
    const key = option.attributeName();
    if (common.has(key) || deploy.getOptionValueSource(key) !== 'cli') continue;
    const flag = option.long ?? option.flags;
    throw new UsageError(
      `${flag} is an option of \`deploy\` (the hub stack), not of \`deploy member\`${meant(flag, 'deploy member')}`,
    );
  }
}

/**
 * `deploy --hub-account …` would be refused as an unknown option; it is refused as what it is, an
 * option of `deploy member`. (Commander reports unknown options through this method; the others
 * keep its own words.)
 */
function refuseMemberOptions(deploy: Command): void {
  const memberFlags = new Set(memberOptions(new Command()).options.map((o) => o.long));
  const target = deploy as unknown as { unknownOption?: (flag: string) => void };
  // Not in commander's typings: should a release rename it, the option is still refused, in its words.
  if (typeof target.unknownOption !== 'function') return;
  const unknown = target.unknownOption.bind(deploy);
  target.unknownOption = (flag: string) => {
    const name = flag.split('=')[0] ?? flag;
    if (!memberFlags.has(name)) return unknown(flag);
    throw new UsageError(
      `${name} is an option of \`deploy member\` (the member role), not of \`deploy\`${meant(name, 'deploy')}`,
    );
  };
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
  for (const address of options.notifyEmail ?? [])
    if (!EMAIL.test(address)) throw new UsageError(`--notify-email: "${address}" is not an email address`);
}

/** What SNS takes as an email endpoint, near enough: one @, a dot in the domain, no spaces. */
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

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
