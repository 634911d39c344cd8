/**
 * The command tree. Each action returns a `CommandOutcome`; `main` turns it (or the error it
 * threw) into the exit code in one place.
 *
 * Options and help are registered here for every command, but a command's code is imported only
 * when its action runs (`import()` below): `--help` and `config validate` load no AWS SDK.
 */
import { Command, Option } from 'commander';
import type { ConfigTableOptions } from './commands/config-table.js';
import { addDrillCommand } from './commands/drill-options.js';
import { IAM_POLICY_USES, type IamPolicyUse } from './commands/iam-policy.js';
import type { StatusOptions } from './commands/status.js';
import type { TriggerOptions } from './commands/trigger.js';
import type { UndoOptions } from './commands/undo.js';
import {
  addDeployMemberOptions,
  addDeployOptions,
  type DeployMemberOptions,
  type DeployOptions,
} from './deploy-options.js';
import type { CommandOutcome } from './exit.js';
import type { CliIo } from './io.js';
import {
  addPlanOptions,
  addRunOptions,
  collect,
  OUTPUTS,
  type PlanOptions,
  type RunOptions,
} from './options.js';
import {
  addForecastOptions,
  addReportOptions,
  type ForecastOptions,
  type ReportOptions,
} from './report-options.js';
import { VERSION } from './version.js';

const examples = (lines: readonly string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;

/** Build the program; `record` receives each command's outcome and its --detailed-exitcode flag. */
export function buildProgram(
  io: CliIo,
  record: (outcome: CommandOutcome, detailed: boolean) => void,
): Command {
  const program = new Command('ebs-snapper')
    .description('EBS snapshots on schedules, deleted by retention rules, for one account or many.')
    .version(VERSION)
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();

  addPlanOptions(program.command('plan'))
    .option('--save-inventory <file>', 'write the collected inventory as JSON (for forecast --inventory)')
    .description('show what a run would create and delete, with a reason for each; change nothing')
    .addHelpText(
      'after',
      examples([
        'ebs-snapper plan -c ebs-snapper.yaml --region eu-west-1',
        'ebs-snapper plan --now 2026-12-02T03:00:00Z -v        # what will happen next week?',
        'ebs-snapper plan --output json --out plan.json --detailed-exitcode',
      ]),
    )
    .action(async (options: PlanOptions) =>
      record(
        await (await import('./commands/plan.js')).planCommand(options, io),
        options.detailedExitcode === true,
      ),
    );

  addRunOptions(program.command('run'), true)
    .description('collect, plan and apply: take due snapshots, delete expired ones')
    .addHelpText(
      'after',
      examples([
        'ebs-snapper run -c ebs-snapper.yaml',
        'ebs-snapper run --dry-run --region us-east-1 --region eu-west-1',
        'ebs-snapper run --max-deletes 100 --deadline 10m --concurrency 16',
        'ebs-snapper run --role-arn arn:aws:iam::111111111111:role/ebs-snapper --role-arn arn:aws:iam::222222222222:role/ebs-snapper',
      ]),
    )
    .action(async (options: RunOptions) =>
      record(
        await (await import('./commands/run.js')).runCommand(options, io),
        options.detailedExitcode === true,
      ),
    );

  for (const [name, only, text] of [
    ['snapshot', 'snapshot', 'take due snapshots only (= run --only snapshot)'],
    ['clean', 'clean', 'delete expired snapshots only (= run --only clean)'],
  ] as const) {
    addRunOptions(program.command(name), false)
      .description(text)
      .addHelpText('after', examples([`ebs-snapper ${name} -c ebs-snapper.yaml --region us-east-1`]))
      .action(async (options: RunOptions) =>
        record(
          await (await import('./commands/run.js')).runCommand({ ...options, only }, io),
          options.detailedExitcode === true,
        ),
      );
  }

  addDrillCommand(program, io, record);
  addReportCommands(program, io, record);
  addConfigCommands(program, io, record);
  addDeployCommands(program, io, record);
  addOperateCommands(program, io, record);

  addUndoCommand(program, io, record);

  program
    .command('iam-policy')
    .description('print the least-privilege IAM policy the tool needs')
    .addOption(new Option('--for <use>', 'what the policy is for').choices(IAM_POLICY_USES).default('run'))
    .option(
      '-c, --config <file>',
      'only what this policy file uses: stop/start with stop_instance, CopySnapshot with copy_to, KMS with kms_key_id',
    )
    .addHelpText(
      'after',
      examples([
        'ebs-snapper iam-policy > ebs-snapper-policy.json',
        'ebs-snapper iam-policy -c ebs-snapper.yaml   # only what the file uses',
        'ebs-snapper iam-policy --for deploy > ebs-snapper-deploy-policy.json',
      ]),
    )
    .action(async (options: { for: IamPolicyUse; config?: string }) =>
      record(
        await (await import('./commands/iam-policy.js')).iamPolicyCommand(io, options.for, options.config),
        false,
      ),
    );

  return program;
}

function addReportCommands(
  program: Command,
  io: CliIo,
  record: (outcome: CommandOutcome, detailed: boolean) => void,
): void {
  addReportOptions(program.command('report'))
    .description(
      'coverage per volume (OK, OVERDUE, UNPROTECTED), snapshots, size and cost per policy; change nothing',
    )
    .addHelpText(
      'after',
      examples([
        'ebs-snapper report -c ebs-snapper.yaml --region eu-west-1',
        'ebs-snapper report --fail-on overdue --fail-on unprotected     # exit 1 for monitoring',
        'ebs-snapper report --output html --out report.html',
        'ebs-snapper report --output json --price-per-gb standard=0.05,archive=0.0125',
      ]),
    )
    .action(async (options: ReportOptions) =>
      record(await (await import('./commands/report.js')).reportCommand(options, io), false),
    );
  addForecastOptions(program.command('forecast'))
    .description(
      'what the policies will keep and cost over the next days: the planner run forward; change nothing',
    )
    .addHelpText(
      'after',
      examples([
        'ebs-snapper forecast -c ebs-snapper.yaml --days 365',
        'ebs-snapper plan --save-inventory inventory.json && ebs-snapper forecast --inventory inventory.json',
        'ebs-snapper forecast --change-rate 5% --output html --out forecast.html',
      ]),
    )
    .action(async (options: ForecastOptions) =>
      record(await (await import('./commands/forecast.js')).forecastCommand(options, io), false),
    );
}

function addConfigCommands(
  program: Command,
  io: CliIo,
  record: (outcome: CommandOutcome, detailed: boolean) => void,
): void {
  const config = program
    .command('config')
    .description('check, describe and convert policy files')
    .addHelpText(
      'after',
      examples([
        'ebs-snapper config validate ebs-snapper.yaml',
        'ebs-snapper config schema > ebs-snapper.schema.json',
        'ebs-snapper config import-legacy old-config.json > ebs-snapper.yaml',
      ]),
    );
  config
    .command('validate <file>')
    .description('check a policy file; exit 1 naming every problem')
    .addHelpText('after', examples(['ebs-snapper config validate ebs-snapper.yaml']))
    .action(async (file: string) =>
      record(await (await import('./commands/config.js')).validateCommand(file, io), false),
    );
  config
    .command('schema')
    .description('print the JSON Schema of the policy file')
    .addHelpText('after', examples(['ebs-snapper config schema > ebs-snapper.schema.json']))
    .action(async () => record((await import('./commands/config.js')).schemaCommand(io), false));
  config
    .command('import-legacy <file>')
    .description('convert a Rackspace ebs_snapper config (JSON) to a version 1 policy file (YAML on stdout)')
    .addHelpText('after', examples(['ebs-snapper config import-legacy legacy.json > ebs-snapper.yaml']))
    .action(async (file: string) =>
      record(await (await import('./commands/config.js')).importLegacyCommand(file, io), false),
    );
  addTableCommands(config, io, record);
}

/** `config push | pull | list | delete`: configs in the deployment's DynamoDB table. */
function addTableCommands(
  config: Command,
  io: CliIo,
  record: (outcome: CommandOutcome, detailed: boolean) => void,
): void {
  const withTable = (command: Command, nameRequired = false) =>
    command
      .option('--stack <name>', 'the hub stack whose table holds the configs (default: ebs-snapper)')
      .option('--stack-region <region>', "the hub stack's region (default: AWS_REGION or the profile's)")
      .option('--table <table>', "the deployment's DynamoDB table by name or ARN, instead of --stack")
      .addOption(
        nameRequired
          ? new Option('--name <name>', 'config name').makeOptionMandatory()
          : new Option('--name <name>', 'config name (default: default)'),
      )
      .option('--region <region>', "the table's region (same as --stack-region)")
      .option('--profile <profile>', 'AWS profile from the shared config files')
      .option('--endpoint-url <url>', 'AWS endpoint override (e.g. a local emulator)');
  withTable(config.command('push <file>'))
    .description('validate a policy file and store it in the table (a bad file is never stored)')
    .addHelpText(
      'after',
      examples([
        'ebs-snapper config push ebs-snapper.yaml                      # the table of the stack ebs-snapper',
        'ebs-snapper config push ebs-snapper.yaml --stack backups --stack-region eu-west-1 --name prod',
        'ebs-snapper config push ebs-snapper.yaml --table arn:aws:dynamodb:eu-west-1:111111111111:table/ebs-snapper-Table-1A2B',
      ]),
    )
    .action(async (file: string, options: ConfigTableOptions) =>
      record(await (await import('./commands/config-table.js')).pushCommand(file, options, io), false),
    );
  withTable(config.command('pull'))
    .description('print a stored config')
    .addHelpText('after', examples(['ebs-snapper config pull --stack-region eu-west-1 > ebs-snapper.yaml']))
    .action(async (options: ConfigTableOptions) =>
      record(await (await import('./commands/config-table.js')).pullCommand(options, io), false),
    );
  withTable(config.command('list'))
    .description('list the stored configs')
    .addHelpText('after', examples(['ebs-snapper config list', 'ebs-snapper config list --stack backups']))
    .action(async (options: ConfigTableOptions) =>
      record(await (await import('./commands/config-table.js')).listCommand(options, io), false),
    );
  withTable(config.command('delete'), true)
    .description('delete a stored config')
    .addHelpText('after', examples(['ebs-snapper config delete --name old']))
    .action(async (options: ConfigTableOptions) =>
      record(await (await import('./commands/config-table.js')).deleteCommand(options, io), false),
    );
}

function addDeployCommands(
  program: Command,
  io: CliIo,
  record: (outcome: CommandOutcome, detailed: boolean) => void,
): void {
  const deploy = addDeployOptions(program.command('deploy'))
    .description(
      'put the hub stack (functions, queue, table, topic, schedule, alarms) in one account and region',
    )
    .addHelpText(
      'after',
      examples([
        'ebs-snapper deploy --region eu-west-1 --config ebs-snapper.yaml',
        'ebs-snapper deploy --dry-run                      # what would change; change nothing',
        "ebs-snapper deploy --schedule 'cron(0 3 * * ? *)' --output json",
      ]),
    )
    .action(async (options: DeployOptions) =>
      record(await (await import('./commands/deploy.js')).deployCommand(options, io), false),
    );
  addDeployMemberOptions(deploy.command('member'))
    .description('put the role the hub assumes in other accounts (or write its template for StackSets)')
    .addHelpText(
      'after',
      examples([
        'ebs-snapper deploy member --hub-account 111111111111 --role-arn arn:aws:iam::222222222222:role/admin',
        'ebs-snapper deploy member --hub-account 111111111111 --template-out member.json',
      ]),
    )
    // --region, --profile, --endpoint-url, --dry-run, --output and -v are deploy's: commander
    // gives a parent's options to the parent wherever they stand, so member reads them from there
    // (and refuses the hub's own: addDeployMemberOptions).
    .action(async (_options: unknown, command: Command) =>
      record(
        await (await import('./commands/deploy-member.js')).deployMemberCommand(
          command.optsWithGlobals<DeployMemberOptions>(),
          io,
        ),
        false,
      ),
    );
}

/** `status` and `trigger`: the deployment once it is there (SPEC §11a). */
function addOperateCommands(
  program: Command,
  io: CliIo,
  record: (outcome: CommandOutcome, detailed: boolean) => void,
): void {
  const withStack = (command: Command) =>
    command
      .option('--stack <name>', 'the hub stack (default: ebs-snapper)')
      .option('--stack-region <region>', "the hub stack's region (default: AWS_REGION or the profile's)")
      .option('--profile <profile>', 'AWS profile from the shared config files')
      .option('--endpoint-url <url>', 'AWS endpoint override (e.g. a local emulator)')
      .addOption(new Option('--output <format>', 'output format').choices(OUTPUTS).default('text'))
      .option('-v, --verbose', 'more detail on errors');
  withStack(program.command('status'))
    .description(
      "the deployment's latest run of every account × region: outcome, counts, failures; exit 1 when one failed, is missing or overdue",
    )
    .option('--since <duration>', 'a target without a record for this long is missing', '24h')
    .option('--run <run-id>', 'one run only: its targets and what each did')
    .addHelpText(
      'after',
      examples([
        'ebs-snapper status --stack-region eu-west-1',
        'ebs-snapper status --since 3d --output json',
        'ebs-snapper status --run 20261206T210000Z-3f9a2c',
      ]),
    )
    .action(async (options: StatusOptions) =>
      record(await (await import('./commands/status.js')).statusCommand(options, io), false),
    );
  withStack(program.command('trigger'))
    .description('start a deployed run now (the fan-out, invoked asynchronously); print its run id')
    .option('--wait', "follow the run until every target has a record, then print the run's status")
    .option('--timeout <duration>', 'how long --wait follows the run', '30m')
    .addHelpText(
      'after',
      examples(['ebs-snapper trigger --stack-region eu-west-1', 'ebs-snapper trigger --wait --timeout 1h']),
    )
    .action(async (options: TriggerOptions) =>
      record(await (await import('./commands/trigger.js')).triggerCommand(options, io), false),
    );
}

/** `undo --run RUN_ID [--results FILE]` (SPEC §14). */
function addUndoCommand(
  program: Command,
  io: CliIo,
  record: (outcome: CommandOutcome, detailed: boolean) => void,
): void {
  program
    .command('undo')
    .description(
      'restore from the Recycle Bin exactly the snapshots a run deleted, and name those it could not',
    )
    .requiredOption('--run <run-id>', 'the run whose deletes to take back')
    .option('--results <file>', "the run's --out JSON, instead of its run records in the deployment's table")
    .option('--stack <name>', 'the hub stack whose table holds the run records (default: ebs-snapper)')
    .option('--stack-region <region>', "the hub stack's region (default: AWS_REGION or the profile's)")
    .option('--config-table <table>', "the deployment's DynamoDB table by name or ARN, instead of --stack")
    .option('--role-arn <arn>', 'assume this role for its account (repeatable)', collect)
    .option('--role-name <name>', 'assume this role in every other account the run deleted in')
    .option('--profile <profile>', 'AWS profile from the shared config files')
    .option('--endpoint-url <url>', 'AWS endpoint override (e.g. a local emulator)')
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--out <file>', 'also write the JSON document to this file')
    .option('-v, --verbose', 'more detail')
    .addHelpText(
      'after',
      examples([
        'ebs-snapper undo --run 20261125T170312Z-3f9a2c',
        'ebs-snapper undo --run 20261125T170312Z-3f9a2c --results run.json',
        'ebs-snapper undo --run 20261125T170312Z-3f9a2c --stack backups --role-name ebs-snapper-member',
      ]),
    )
    .action(async (options: UndoOptions) =>
      record(await (await import('./commands/undo.js')).undoCommand(options, io), false),
    );
}
